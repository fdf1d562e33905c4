package sessions

import "sync"

type Store struct {
	mu       sync.RWMutex
	sessions map[string]int
}

// Touch releases the read lock on two paths (the early return and the end): both
// RUnlock calls close the same acquisition and both become Unlock.
func (s *Store) Touch(id string) bool {
	s.mu.Lock()
	n, ok := s.sessions[id]
	if !ok {
		s.mu.Unlock()
		return false
	}
	s.sessions[id] = n + 1
	s.mu.Unlock()
	return true
}

// Expire returns early from a switch case; the deferred RUnlock covers every path.
func (s *Store) Expire(id string, mode int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch mode {
	case 0:
		return
	case 1:
		delete(s.sessions, id)
	default:
		s.sessions[id] = 0
	}
}
