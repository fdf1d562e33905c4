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
	keys := make([]string, 0, len(r.expired))
	for name := range r.expired {
		keys = append(keys, name)
	}
	clear(r.expired)
	r.mu.Unlock()
	for _, name := range keys {
		r.remove(name)
	}
}
