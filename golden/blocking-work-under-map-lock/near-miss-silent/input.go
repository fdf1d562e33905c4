package cache

import (
	"context"
	"io"
	"sync"
	"time"
)

type Cache struct {
	mu      sync.Mutex
	items   map[string]io.Closer
	stale   map[string]bool
	updates chan string
}

// Prune deletes while ranging, under the lock: deleting during range is defined
// behaviour in Go, and nothing here blocks.
func (c *Cache) Prune() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.items {
		if c.stale[k] {
			delete(c.items, k)
		}
	}
}

// CloseAll already snapshots under the lock and closes after unlocking.
func (c *Cache) CloseAll() {
	c.mu.Lock()
	victims := make([]io.Closer, 0, len(c.items))
	for k, v := range c.items {
		victims = append(victims, v)
		delete(c.items, k)
	}
	c.mu.Unlock()
	for _, v := range victims {
		v.Close()
	}
}

// TryNotify never blocks: the send is in a select with a default.
func (c *Cache) TryNotify() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.items {
		select {
		case c.updates <- k:
		default:
		}
	}
}

// CloseAsync hands the closing to goroutines.
func (c *Cache) CloseAsync() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, v := range c.items {
		go v.Close()
	}
}

// Unlocked closes with the lock released around the call.
func (c *Cache) Unlocked() {
	c.mu.Lock()
	for k, v := range c.items {
		c.mu.Unlock()
		v.Close()
		c.mu.Lock()
		delete(c.items, k)
	}
	c.mu.Unlock()
}

// Local closes a map that is not shared: the lock guards something else.
func (c *Cache) Local(extra map[string]io.Closer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, v := range extra {
		v.Close()
	}
}

// NoLock ranges without any lock held (another rule's business).
func (c *Cache) NoLock() {
	for _, v := range c.items {
		v.Close()
	}
}

// Slice ranges over a slice, not a map.
type Group struct {
	mu      sync.Mutex
	members []io.Closer
}

func (g *Group) CloseAll() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, m := range g.members {
		m.Close()
	}
}

// Neither of these can block or run user code: context cancel functions return
// at once (AfterFunc callbacks run in their own goroutines) and Timer.Stop does
// not wait for an AfterFunc function to finish.
type Jobs struct {
	mu      sync.Mutex
	cancels map[int]context.CancelFunc
	timers  map[int]*time.Timer
}

func (j *Jobs) StopAll() {
	j.mu.Lock()
	defer j.mu.Unlock()
	for id, cancel := range j.cancels {
		cancel()
		delete(j.cancels, id)
	}
	for _, t := range j.timers {
		t.Stop()
	}
}
