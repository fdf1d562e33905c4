package inventory

import (
	"iter"
	"maps"
	"slices"
	"sync"
)

type Inventory struct {
	mu    sync.RWMutex
	stock map[string]int
}

// Sorted consumes the iterator before the deferred unlock runs.
func (inv *Inventory) Sorted() []string {
	inv.mu.RLock()
	defer inv.mu.RUnlock()
	return slices.Sorted(maps.Keys(inv.stock))
}

// Total ranges under the lock.
func (inv *Inventory) Total() int {
	inv.mu.RLock()
	defer inv.mu.RUnlock()
	n := 0
	for v := range maps.Values(inv.stock) {
		n += v
	}
	vals := maps.Values(inv.stock)
	for v := range vals {
		n += v
	}
	return n
}

// Snapshot already collects under the lock.
func (inv *Inventory) Snapshot() iter.Seq[string] {
	inv.mu.RLock()
	defer inv.mu.RUnlock()
	return slices.Values(slices.Collect(maps.Keys(inv.stock)))
}

// Local returns an iterator over a map built here: nobody else can write it.
func (inv *Inventory) Local() iter.Seq[string] {
	inv.mu.RLock()
	defer inv.mu.RUnlock()
	own := make(map[string]int, len(inv.stock))
	for k, v := range inv.stock {
		own[k] = v
	}
	return maps.Keys(own)
}

// keysLocked runs under the caller's lock: the caller decides when to consume.
func (inv *Inventory) keysLocked() iter.Seq[string] {
	return maps.Keys(inv.stock)
}

// Unguarded holds no lock at all (GMF103's business, not this rule's).
func (inv *Inventory) Unguarded() iter.Seq[string] {
	return maps.Keys(inv.stock)
}
