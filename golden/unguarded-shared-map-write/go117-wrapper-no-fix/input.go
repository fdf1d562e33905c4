package cache

import "sync"

// Cache is on Go 1.17: the wrapper style needs generics (Go 1.18), so it gives
// no fix here (the guard style would).
type Cache struct {
	mu    sync.RWMutex
	items map[string]string
}

func (c *Cache) Get(k string) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.items[k]
}

func (c *Cache) Put(k, v string) {
	c.items[k] = v // want "GMF101 write to c.items: c.mu, which guards it elsewhere, is not held.*no fix: MapWrapper needs Go 1.18"
}
