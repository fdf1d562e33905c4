package cache

import "sync"

type Entry struct{ value string }

func compute(k string) *Entry { return &Entry{value: k} }

type Cache struct {
	mu sync.RWMutex
	m  map[string]*Entry
}

// The classic shape: the presence check under RLock, the insert under a later Lock
// section. Two callers can both miss, both compute, and the second insert wins.
func (c *Cache) Ensure(k string) {
	c.mu.RLock()
	_, ok := c.m[k]
	c.mu.RUnlock()
	if !ok {
		e := compute(k)
		c.mu.Lock()
		c.m[k] = e // want "GMF104 check-then-act: insert into c.m\\[k\\] under a second c.mu.Lock\\(\\) section after a presence check under an earlier c.mu.RLock\\(\\) section \\(line 18\\)"
		c.mu.Unlock()
	}
}

// The check in an if initialiser under Lock, the lock dropped while computing, and
// the insert under a re-acquired Lock: still two sections.
func (c *Cache) EnsureSlow(k string) {
	c.mu.Lock()
	if _, ok := c.m[k]; !ok {
		c.mu.Unlock()
		e := compute(k)
		c.mu.Lock()
		c.m[k] = e // want "GMF104 .*insert into c.m\\[k\\] under a second c.mu.Lock\\(\\) section .* earlier c.mu.Lock\\(\\) section"
	}
	c.mu.Unlock()
}

// The value itself as the presence test (nil entry = missing), act in the else branch.
func (c *Cache) EnsureNil(k string) *Entry {
	c.mu.RLock()
	e := c.m[k]
	c.mu.RUnlock()
	if e != nil {
		return e
	} else {
		e = compute(k)
		c.mu.Lock()
		defer c.mu.Unlock()
		c.m[k] = e // want "GMF104 .*lost update"
	}
	return e
}
