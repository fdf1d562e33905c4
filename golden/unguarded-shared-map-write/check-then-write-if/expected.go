package registry

import "sync"

type Entry struct {
	Name string
}

type Registry struct {
	mu      sync.Mutex
	entries map[string]*Entry
}

func NewRegistry() *Registry {
	return &Registry{entries: map[string]*Entry{}}
}

func (r *Registry) Remove(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.entries, name)
}

// Ensure forgot the lock. The fix takes it around the whole if, so that the
// presence check and the insert stay in one critical section.
func (r *Registry) Ensure(name string) *Entry {
	r.mu.Lock()
	if _, ok := r.entries[name]; !ok {
		r.entries[name] = &Entry{Name: name}
	}
	entriesVal := r.entries[name]
	r.mu.Unlock()
	return entriesVal
}
