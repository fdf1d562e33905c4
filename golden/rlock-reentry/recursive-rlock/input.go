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

// Works until a writer calls Lock between the two RLocks: then the writer waits for
// the first read lock, and the second RLock waits for the writer.
func (c *Cache) Sum(keys []string) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	total := 0
	for _, k := range keys {
		total += c.Get(k) // want "GMF105 c.Get\\(\\) takes c.mu.RLock\\(\\) while c.mu.RLock\\(\\) is held \\(line 19\\): a recursive read lock deadlocks as soon as a writer calls Lock in between"
	}
	return total
}

// The same mistake written directly.
func (c *Cache) Both(a, b string) (int, int) {
	c.mu.RLock()
	x := c.m[a]
	c.mu.RLock() // want "GMF105 recursive c.mu.RLock\\(\\) while c.mu.RLock\\(\\) is held \\(line 30\\)"
	y := c.m[b]
	c.mu.RUnlock()
	c.mu.RUnlock()
	return x, y
}
