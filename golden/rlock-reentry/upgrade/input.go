package cache

import "sync"

type Cache struct {
	mu sync.RWMutex
	m  map[string]int
}

func (c *Cache) Set(k string, v int) {
	c.mu.Lock()
	c.m[k] = v
	c.mu.Unlock()
}

// An attempt to upgrade a read lock: Lock waits for every reader, this one included.
func (c *Cache) Ensure(k string) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if _, ok := c.m[k]; !ok {
		c.mu.Lock() // want "GMF105 c.mu.Lock\\(\\) while this goroutine still holds c.mu.RLock\\(\\) \\(line 18\\): a read lock cannot be upgraded"
		c.m[k] = 0
		c.mu.Unlock()
	}
}

// The same upgrade through a call.
func (c *Cache) Reset(k string) {
	c.mu.RLock()
	if _, ok := c.m[k]; ok {
		c.Set(k, 0) // want "GMF105 c.Set\\(\\) takes c.mu.Lock\\(\\) while c.mu.RLock\\(\\) is held \\(line 29\\): a read lock cannot be upgraded"
	}
	c.mu.RUnlock()
}

// Lock under Lock, written directly.
func (c *Cache) Twice(k string) {
	c.mu.Lock()
	c.m[k] = 1
	c.mu.Lock() // want "GMF105 c.mu.Lock\\(\\) while this goroutine already holds c.mu.Lock\\(\\) \\(line 38\\): Go mutexes are not reentrant"
	c.m[k] = 2
	c.mu.Unlock()
	c.mu.Unlock()
}
