// Package shop is a small, deliberately hazardous example for gomapfix.
package shop

import "sync"

// Inventory counts items per SKU; many goroutines call it.
type Inventory struct {
	mu     sync.RWMutex
	counts map[string]int
}

// NewInventory returns an empty inventory.
func NewInventory() *Inventory {
	return &Inventory{counts: make(map[string]int)}
}

// Count reads under the read lock: fine, concurrent reads are safe.
func (inv *Inventory) Count(sku string) int {
	inv.mu.RLock()
	defer inv.mu.RUnlock()
	return inv.counts[sku]
}

// Take sells one item. It writes while holding only the read lock: a data race
// that can kill the process with "fatal error: concurrent map writes".
func (inv *Inventory) Take(sku string) {
	inv.mu.RLock()
	defer inv.mu.RUnlock()
	inv.counts[sku]--
	if inv.counts[sku] <= 0 {
		delete(inv.counts, sku)
	}
}

// Reset empties the inventory, key by key.
func (inv *Inventory) Reset() {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	for sku := range inv.counts {
		delete(inv.counts, sku)
	}
}
