package registry

import (
	"iter"
	"maps"
	"slices"
	"sync"
)

// Registry maps names to ids; many goroutines read and write it.
type Registry struct {
	mu     sync.RWMutex
	byName map[string]int
}

func New() *Registry { return &Registry{byName: make(map[string]int)} }

func (r *Registry) Add(name string, id int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.byName[name] = id
}

// Names looks locked, but maps.Keys is a lazy iterator: the caller ranges over
// the live map after the deferred RUnlock has run.
func (r *Registry) Names() iter.Seq[string] {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.Values(slices.Collect(maps.Keys(r.byName)))
}
