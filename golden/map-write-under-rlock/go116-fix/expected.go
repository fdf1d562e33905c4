package cache

import "sync"

// Any Go version: only the method names change.
type Cache struct {
	mu    sync.RWMutex
	items map[string]interface{}
}

func (c *Cache) Evict(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.items, k)
}

func (c *Cache) Get(k string) interface{} {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.items[k]
}
