package cache

import "sync"

type Cache struct {
	mu    sync.RWMutex
	items map[string]int
}

func (c *Cache) get(k string) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.items[k]
}

// The section calls c.get, which read-locks c.mu again: with Lock that call would
// deadlock (sync.RWMutex is not reentrant), so the fix is only offered as unsafe.
func (c *Cache) Bump(k string) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.items[k] = c.get(k) + 1 // want "GMF102 write to c.items under c.mu.RLock"
}

// Indirectly, through another method, is the same.
func (c *Cache) double(k string) int { return 2 * c.get(k) }

func (c *Cache) Double(k string) {
	c.mu.RLock()
	c.items[k] = c.double(k) // want "GMF102 write to c.items"
	c.mu.RUnlock()
}

// The lock leaves the function held: the matching RUnlock is the caller's.
func (c *Cache) TakeLocked(k string) func() {
	c.mu.RLock()
	delete(c.items, k) // want "GMF102 delete on c.items"
	return c.mu.RUnlock
}
