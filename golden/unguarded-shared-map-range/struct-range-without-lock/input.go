package cache

import "sync"

type Cache struct {
	mu    sync.RWMutex
	items map[string]int
}

func (c *Cache) Put(k string, v int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[k] = v
}

func (c *Cache) Get(k string) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.items[k]
}

// Total forgot the read lock.
func (c *Cache) Total() int {
	total := 0
	for _, v := range c.items { // want "GMF103 range over c.items: c.mu, which guards it elsewhere, is not held"
		total += v
	}
	return total
}
