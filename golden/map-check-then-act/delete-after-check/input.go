package sessions

import "sync"

type Session struct{ closed bool }

func (s *Session) Close() { s.closed = true }

type Registry struct {
	mu       sync.RWMutex
	sessions map[string]*Session
}

// Both callers can see the session present and both run the removal path: the
// session is closed twice.
func (r *Registry) Drop(id string) {
	r.mu.RLock()
	s, ok := r.sessions[id]
	r.mu.RUnlock()
	if ok {
		r.mu.Lock()
		delete(r.sessions, id) // want "GMF104 check-then-act: delete of r.sessions\\[id\\] under a second r.mu.Lock\\(\\) section .*double release"
		r.mu.Unlock()
		s.Close()
	}
}

// The nil test in the condition itself, early return on a miss.
func (r *Registry) Expire(id string) {
	r.mu.RLock()
	if r.sessions[id] == nil {
		r.mu.RUnlock()
		return
	}
	r.mu.RUnlock()
	r.mu.Lock()
	delete(r.sessions, id) // want "GMF104 .*delete of r.sessions\\[id\\]"
	r.mu.Unlock()
}
