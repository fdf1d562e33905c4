package cache

import "sync"

type Cache struct {
	mu sync.RWMutex
	m  map[string]int
}

func (c *Cache) Once(k string, v int) {
	c.mu.RLock()
	_, ok := c.m[k]
	c.mu.RUnlock()
	if !ok {
		c.mu.Lock()
		c.m[k] = v // want "GMF104 check-then-act: insert into c.m\\[k\\]"
		c.mu.Unlock()
	}
}
