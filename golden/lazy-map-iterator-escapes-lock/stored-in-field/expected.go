package menu

import (
	"iter"
	"maps"
	"slices"
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
	m.pending = slices.Values(slices.Collect(maps.Values(m.prices)))
	m.mu.Unlock()
}

func Publish() {
	mu.Lock()
	listing = slices.Values(slices.Collect(maps.Keys(dishes)))
	mu.Unlock()
}

// Stream sends the lazy iterator to another goroutine.
func (m *Menu) Stream(out chan<- iter.Seq[int]) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out <- slices.Values(slices.Collect(maps.Values(m.prices)))
}
