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
	c.mu.Lock()
	delete(c.items, k)
	c.mu.Unlock()
}

func (c *Cache) Put(k string, v int) {
	c.mu.Lock()
	c.items[k] = v
	c.mu.Unlock()
}

// Prune writes twice inside one section: both findings share the same fix.
func (c *Cache) Prune(keys []string) {
	c.mu.Lock()
	for _, k := range keys {
		if c.items[k] == 0 {
			delete(c.items, k)
		} else {
			c.items[k]--
		}
	}
	c.mu.Unlock()
}
