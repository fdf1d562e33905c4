package registry

import "sync"

type Registry struct {
	mu      sync.Mutex
	members map[string]int
	expired map[string]bool
}

func (r *Registry) remove(name string) {
	r.mu.Lock()
	delete(r.members, name)
	r.mu.Unlock()
}

// Expire calls remove, which takes r.mu again: sync.Mutex is not reentrant, so
// the first expired member deadlocks the registry.
func (r *Registry) Expire() {
	r.mu.Lock()
	for name := range r.expired { // want "GMF302 .*r.remove takes r.mu again: sync.Mutex is not reentrant"
		r.remove(name)
	}
	clear(r.expired)
	r.mu.Unlock()
}
