package cache

import (
	"sort"
	"sync"
)

// Cache maps keys to totals; many goroutines use it. Its mutex guards the map in
// some methods only.
type Cache struct {
	mu    sync.RWMutex
	items MapWrapper[string, int] // per-key totals
	name  string                  // for logs
}

func New(name string) *Cache {
	return &Cache{
		name: name,
	}
}

func (c *Cache) Get(k string) (int, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.items.Load(k)
	return v, ok
}

// Put forgot the lock.
func (c *Cache) Put(k string, v int) {
	c.items.Store(k, v)
}

// Keys lists up to limit keys with a positive total.
func (c *Cache) Keys(limit int) []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var keys []string
	c.items.Range(func(k string, v int) bool {
		if v <= 0 {
			return true
		}
		if len(keys) == limit {
			return false
		}
		keys = append(keys, k)
		return true
	})
	sort.Strings(keys)
	return keys
}

func (c *Cache) Size() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.items.Len()
}

func (c *Cache) Drop(k string) {
	c.mu.Lock()
	c.items.Delete(k)
	c.mu.Unlock()
}
