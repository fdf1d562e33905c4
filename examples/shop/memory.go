package shop

import (
	"maps"
	"sync"
	"time"
)

// Baskets holds the open shopping carts. During a sale it grows to a million entries;
// Go maps never shrink, so how it is emptied decides whether that memory comes back.
type Baskets struct {
	mu    sync.Mutex
	carts map[string][]string
}

// NewBaskets returns an empty set of baskets.
func NewBaskets() *Baskets {
	return &Baskets{carts: make(map[string][]string)}
}

// Add puts a SKU in a user's cart.
func (b *Baskets) Add(user, sku string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.carts[user] = append(b.carts[user], sku)
}

// EndOfSale empties the carts with clear, which keeps every bucket of the peak.
func (b *Baskets) EndOfSale() {
	b.mu.Lock()
	defer b.mu.Unlock()
	clear(b.carts)
}

// ActiveSince keeps the users seen after a cut-off, and "compacts" the result with
// maps.Clone, which keeps the capacity of the full map.
func ActiveSince(seen map[string]time.Time, cutoff time.Time) map[string]time.Time {
	active := make(map[string]time.Time, len(seen))
	maps.Copy(active, seen)
	for user, t := range active {
		if t.Before(cutoff) {
			delete(active, user)
		}
	}
	active = maps.Clone(active)
	return active
}
