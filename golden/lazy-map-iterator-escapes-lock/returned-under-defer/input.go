package registry

import (
	"iter"
	"maps"
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
	return maps.Keys(r.byName) // want "GMF303 maps.Keys\\(r.byName\\) is a lazy iterator over the live map, not a snapshot: it is returned and consumed after r.mu.RUnlock\\(\\)"
}
