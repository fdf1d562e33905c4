package menu

import (
	"iter"
	"maps"
	"sync"
)

var (
	mu      sync.Mutex
	dishes  = map[string]int{}
	listing iter.Seq[string]
)

type Menu struct {
	mu      sync.Mutex
	prices  map[string]int
	pending iter.Seq[int]
}

// Snapshot stores the iterator for later: whoever ranges over it reads the live
// map with no lock.
func (m *Menu) Snapshot() {
	m.mu.Lock()
	m.pending = maps.Values(m.prices) // want "GMF303 maps.Values\\(m.prices\\).*it is stored in m.pending and consumed after m.mu.Unlock\\(\\)"
	m.mu.Unlock()
}

func Publish() {
	mu.Lock()
	listing = maps.Keys(dishes) // want "GMF303 maps.Keys\\(dishes\\).*stored in the package variable listing"
	mu.Unlock()
}

// Stream sends the lazy iterator to another goroutine.
func (m *Menu) Stream(out chan<- iter.Seq[int]) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out <- maps.Values(m.prices) // want "GMF303 .*it is sent on a channel and consumed"
}
