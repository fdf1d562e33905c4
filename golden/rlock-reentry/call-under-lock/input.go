package cache

import "sync"

type Cache struct {
	mu sync.RWMutex
	m  map[string]int
}

func (c *Cache) Get(k string) (int, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *Cache) Len() int {
	c.mu.RLock()
	n := len(c.m)
	c.mu.RUnlock()
	return n
}

// defer keeps the write lock to the end: the call to Get read-locks it again.
func (c *Cache) Incr(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, _ := c.Get(k) // want "GMF105 c.Get\\(\\) takes c.mu.RLock\\(\\) while c.mu.Lock\\(\\) is held \\(line 26\\): Go mutexes are not reentrant \\(deadlock\\); move the body of Get into an unlocked GetLocked helper"
	c.m[k] = v + 1
}

// A plain sync.Mutex, locked and unlocked around the call.
type Counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *Counter) Add(k string) {
	c.mu.Lock()
	c.n[k]++
	c.mu.Unlock()
}

func (c *Counter) AddAll(keys []string) {
	c.mu.Lock()
	for _, k := range keys {
		c.Add(k) // want "GMF105 c.Add\\(\\) takes c.mu.Lock\\(\\) while c.mu.Lock\\(\\) is held"
	}
	c.mu.Unlock()
}

// In an argument list, and in a literal invoked on the spot: both run now.
func (c *Cache) Report(log func(int)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	log(c.Len()) // want "GMF105 c.Len\\(\\) takes c.mu.RLock\\(\\)"
	func() {
		_, _ = c.Get("x") // want "GMF105 c.Get\\(\\) takes c.mu.RLock\\(\\)"
	}()
}
