package cache

import (
	"sync"
	"time"
)

type Cache struct {
	mu    sync.RWMutex
	other sync.Mutex
	m     map[string]int
	hooks []func()
}

func (c *Cache) Get(k string) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.getLocked(k)
}

// getLocked reads without locking: the caller holds c.mu.
func (c *Cache) getLocked(k string) int { return c.m[k] }

// peek is documented as running under the caller's lock.
//
// The caller must hold c.mu.
func (c *Cache) peek(k string) int { return c.m[k] + c.getLocked(k) }

// Calls the unlocked helpers under the lock: the split done right.
func (c *Cache) Incr(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[k] = c.getLocked(k) + c.peek(k) + 1
}

// The lock is released before the call.
func (c *Cache) Bump(k string) {
	c.mu.RLock()
	_, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		_ = c.Get(k)
	}
}

// A goroutine runs later, without this lock; so does a callback registered here.
func (c *Cache) Async(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	go c.Get(k)
	go func() { _ = c.Get(k) }()
	c.hooks = append(c.hooks, func() { _ = c.Get(k) })
	time.AfterFunc(time.Second, func() { _ = c.Get(k) })
}

// Another instance of the type has its own mutex.
func (c *Cache) CopyFrom(o *Cache, k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[k] = o.Get(k)
}

// Another mutex of the same value.
func (c *Cache) Other(k string) {
	c.other.Lock()
	defer c.other.Unlock()
	_ = c.Get(k)
}

// A helper that drops the caller's lock while it waits and takes it back.
func (c *Cache) waitLocked() {
	c.mu.Unlock()
	time.Sleep(time.Millisecond)
	c.mu.Lock()
}

func (c *Cache) Wait() {
	c.mu.Lock()
	c.waitLocked()
	c.mu.Unlock()
}

// The correct upgrade: release, lock, check again.
func (c *Cache) Ensure(k string) {
	c.mu.RLock()
	_, ok := c.m[k]
	c.mu.RUnlock()
	if !ok {
		c.mu.Lock()
		if _, ok := c.m[k]; !ok {
			c.m[k] = 0
		}
		c.mu.Unlock()
	}
}

// Unlocked on one branch, held on the other: not held on every path at the call.
func (c *Cache) Maybe(k string, early bool) {
	c.mu.Lock()
	if early {
		c.mu.Unlock()
		_ = c.Get(k)
		return
	}
	c.m[k] = 1
	c.mu.Unlock()
}

// A mutex used as a semaphore handed to another goroutine: the second Lock waits for
// the goroutine's Unlock.
func Handoff(work func()) {
	var mu sync.Mutex
	mu.Lock()
	go func() {
		work()
		mu.Unlock()
	}()
	mu.Lock()
}

// A lock type of the package with its own semantics.
type reentrant struct{ depth int }

func (r *reentrant) Lock()   { r.depth++ }
func (r *reentrant) Unlock() { r.depth-- }

func Nested(r *reentrant) {
	r.Lock()
	r.Lock()
	r.Unlock()
	r.Unlock()
}
