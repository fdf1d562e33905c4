package cache

import (
	"sort"
	"sync"
)

// Cache maps keys to totals; many goroutines use it. Its mutex guards the map in
// some methods only.
type Cache struct {
	mu    sync.RWMutex
	items map[string]int // per-key totals
	name  string         // for logs
}

func New(name string) *Cache {
	return &Cache{
		items: make(map[string]int),
		name:  name,
	}
}

func (c *Cache) Get(k string) (int, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.items[k]
	return v, ok
}

// Put forgot the lock.
func (c *Cache) Put(k string, v int) {
	c.items[k] = v // want "GMF101 write to c.items: c.mu, which guards it elsewhere, is not held"
}

// Keys lists up to limit keys with a positive total.
func (c *Cache) Keys(limit int) []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var keys []string
	for k, v := range c.items {
		if v <= 0 {
			continue
		}
		if len(keys) == limit {
			break
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (c *Cache) Size() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.items)
}

func (c *Cache) Drop(k string) {
	c.mu.Lock()
	delete(c.items, k)
	c.mu.Unlock()
}
