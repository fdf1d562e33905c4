package cache

import "sync"

// Cache maps keys to values; many goroutines use it.
type Cache struct {
	mu    sync.RWMutex
	items map[string]string
}

func New() *Cache {
	return &Cache{items: make(map[string]string)}
}

func (c *Cache) Get(k string) (string, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.items[k]
	return v, ok
}

func (c *Cache) Delete(k string) {
	c.mu.Lock()
	delete(c.items, k)
	c.mu.Unlock()
}

// Put forgot the lock.
func (c *Cache) Put(k, v string) {
	c.items[k] = v // want "GMF101 write to c.items: c.mu, which guards it elsewhere, is not held"
}
