package cache

import "sync"

type Entry struct{ value string }

func compute(k string) *Entry { return &Entry{value: k} }

type Cache struct {
	mu    sync.RWMutex
	other sync.Mutex
	m     map[string]*Entry
	max   int
}

// Double-checked locking done right: the second section checks again.
func (c *Cache) Get(k string) *Entry {
	c.mu.RLock()
	e, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		return e
	}
	e = compute(k)
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[k]; ok {
		return old
	}
	c.m[k] = e
	return e
}

// Re-check written as a nil test in the second section.
func (c *Cache) GetNil(k string) *Entry {
	c.mu.RLock()
	e := c.m[k]
	c.mu.RUnlock()
	if e != nil {
		return e
	}
	c.mu.Lock()
	if c.m[k] == nil {
		c.m[k] = compute(k)
	}
	e = c.m[k]
	c.mu.Unlock()
	return e
}

// Re-check through a helper taking the key, inside the second section.
func (c *Cache) hasLocked(k string) bool { return c.m[k] != nil }

func (c *Cache) GetHelper(k string) {
	c.mu.RLock()
	_, ok := c.m[k]
	c.mu.RUnlock()
	if !ok {
		c.mu.Lock()
		if !c.hasLocked(k) {
			c.m[k] = compute(k)
		}
		c.mu.Unlock()
	}
}

// Check and act in one section.
func (c *Cache) Ensure(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[k]; !ok {
		c.m[k] = compute(k)
	}
}

// The act does not depend on the check.
func (c *Cache) Put(k string) bool {
	c.mu.RLock()
	_, existed := c.m[k]
	c.mu.RUnlock()
	c.mu.Lock()
	c.m[k] = compute(k)
	c.mu.Unlock()
	return existed
}

// The key is reassigned between the check and the act.
func (c *Cache) Next(k string) {
	c.mu.RLock()
	_, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		k = k + "'"
		c.mu.Lock()
		c.m[k] = compute(k)
		c.mu.Unlock()
	}
}

// A different key.
func (c *Cache) Alias(k string) {
	c.mu.RLock()
	_, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		c.mu.Lock()
		c.m[k+"-alias"] = compute(k)
		c.mu.Unlock()
	}
}

// A capacity guard is not a presence check of the key.
func (c *Cache) Add(k string) {
	c.mu.RLock()
	full := len(c.m) >= c.max
	c.mu.RUnlock()
	if !full {
		c.mu.Lock()
		c.m[k] = compute(k)
		c.mu.Unlock()
	}
}

// The check and the act under different mutexes (the act is another rule's business).
func (c *Cache) Mixed(k string) {
	c.mu.RLock()
	_, ok := c.m[k]
	c.mu.RUnlock()
	if !ok {
		c.other.Lock()
		c.m[k] = compute(k)
		c.other.Unlock()
	}
}

// A local map built under the lock is not shared state.
func (c *Cache) Local(keys []string) map[string]bool {
	seen := map[string]bool{}
	for _, k := range keys {
		c.mu.RLock()
		_, ok := seen[k]
		c.mu.RUnlock()
		if !ok {
			c.mu.Lock()
			seen[k] = true
			c.mu.Unlock()
		}
	}
	return seen
}

// A read-modify-write of the entry in the second section reads it again there.
func (c *Cache) Touch(k string) {
	c.mu.RLock()
	_, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		c.mu.Lock()
		c.m[k] = &Entry{value: c.m[k].value + "!"}
		c.mu.Unlock()
	}
}
