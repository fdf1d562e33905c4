package cache

import "sync"

type Cache struct {
	mu sync.RWMutex
	m  map[string]int
}

func (c *Cache) Get(k string) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[k]
}

func (c *Cache) Incr(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[k] = c.Get(k) + 1 // want "GMF105 c.Get\\(\\) takes c.mu.RLock\\(\\) while c.mu.Lock\\(\\) is held"
}
