package cache

import "sync"

type Cache struct {
	mu    sync.RWMutex
	items map[string]int
}

// Writes under the write lock: correct.
func (c *Cache) Put(k string, v int) {
	c.mu.Lock()
	c.items[k] = v
	c.mu.Unlock()
}

func (c *Cache) Evict(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.items, k)
}

// Reads under the read lock: concurrent reads are fine.
func (c *Cache) Get(k string) (int, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.items[k]
	return v, ok
}

// A write after the read lock is released: not under RLock (unguarded is another rule).
func (c *Cache) Reset(k string) {
	c.mu.RLock()
	_, ok := c.items[k]
	c.mu.RUnlock()
	if ok {
		c.mu.Lock()
		c.items[k] = 0
		c.mu.Unlock()
	}
}

// Building a local map under the read lock: nobody else can see it.
func (c *Cache) Snapshot() map[string]int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make(map[string]int, len(c.items))
	for k, v := range c.items {
		out[k] = v
	}
	return out
}

// Copying into the caller's map: not state guarded by c.mu.
func (c *Cache) CopyInto(dst map[string]int) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for k, v := range c.items {
		dst[k] = v
	}
}

// The release happens before the write on every path.
func (c *Cache) Upgrade(k string) {
	c.mu.RLock()
	if _, ok := c.items[k]; ok {
		c.mu.RUnlock()
		return
	}
	c.mu.RUnlock()
	c.mu.Lock()
	c.items[k] = 1
	c.mu.Unlock()
}

// A goroutine started under the read lock runs later, without it.
func (c *Cache) Async(k string, done chan struct{}) {
	c.mu.RLock()
	go func() {
		c.mu.Lock()
		delete(c.items, k)
		c.mu.Unlock()
		close(done)
	}()
	c.mu.RUnlock()
}
