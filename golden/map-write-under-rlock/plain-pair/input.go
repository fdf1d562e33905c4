package cache

import "sync"

// Cache guards items with an RWMutex, but Evict and Put write under the read lock:
// other readers (and other Evicts) run at the same time.
type Cache struct {
	mu    sync.RWMutex
	items map[string]int
}

func NewCache() *Cache {
	return &Cache{items: make(map[string]int)}
}

func (c *Cache) Get(k string) (int, bool) {
	c.mu.RLock()
	v, ok := c.items[k]
	c.mu.RUnlock()
	return v, ok
}

func (c *Cache) Evict(k string) {
	c.mu.RLock()
	delete(c.items, k) // want "GMF102 delete on c.items under c.mu.RLock\\(\\) only"
	c.mu.RUnlock()
}

func (c *Cache) Put(k string, v int) {
	c.mu.RLock()
	c.items[k] = v // want "GMF102 write to c.items under c.mu.RLock"
	c.mu.RUnlock()
}

// Prune writes twice inside one section: both findings share the same fix.
func (c *Cache) Prune(keys []string) {
	c.mu.RLock()
	for _, k := range keys {
		if c.items[k] == 0 {
			delete(c.items, k) // want "GMF102 delete on c.items"
		} else {
			c.items[k]-- // want "GMF102 decrement of an entry of c.items"
		}
	}
	c.mu.RUnlock()
}
