package shop

import (
	"sync"
	"time"
)

// Checkout is a customer's checkout in progress; flushing it to storage is slow.
type Checkout struct {
	ID      string
	Touched time.Time
	flushed chan struct{}
}

// Close flushes the checkout and waits until storage acknowledges it.
func (c *Checkout) Close() error {
	if c.flushed != nil {
		<-c.flushed
	}
	return nil
}

// Checkouts tracks open checkouts; HTTP handlers and a janitor share it.
type Checkouts struct {
	mu   sync.Mutex
	open map[string]*Checkout
}

// NewCheckouts returns an empty tracker.
func NewCheckouts() *Checkouts {
	return &Checkouts{open: make(map[string]*Checkout)}
}

// Forget drops one checkout.
func (co *Checkouts) Forget(id string) {
	co.mu.Lock()
	delete(co.open, id)
	co.mu.Unlock()
}

// CloseAll flushes every checkout with the lock held: while one slow flush waits on
// storage, every handler queues up behind co.mu. (Deleting from the map
// inside the loop is fine in Go; the blocking Close is the problem.)
func (co *Checkouts) CloseAll() {
	co.mu.Lock()
	for id, c := range co.open {
		c.Close()
		delete(co.open, id)
	}
	co.mu.Unlock()
}

// ForgetIdle calls Forget, which takes co.mu again: sync.Mutex is not reentrant,
// so the janitor deadlocks on the first idle checkout.
func (co *Checkouts) ForgetIdle(idle []string) {
	co.mu.Lock()
	for id := range co.open {
		for _, x := range idle {
			if x == id {
				co.Forget(id)
			}
		}
	}
	co.mu.Unlock()
}
