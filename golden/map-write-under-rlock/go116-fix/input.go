package cache

import "sync"

// Any Go version: only the method names change.
type Cache struct {
	mu    sync.RWMutex
	items map[string]interface{}
}

func (c *Cache) Evict(k string) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	delete(c.items, k) // want "GMF102 delete on c.items under c.mu.RLock"
}

func (c *Cache) Get(k string) interface{} {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.items[k]
}
