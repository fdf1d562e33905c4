package sessions

import "sync"

type Store struct {
	mu       sync.RWMutex
	sessions map[string]int
}

// Touch releases the read lock on two paths (the early return and the end): both
// RUnlock calls close the same acquisition and both become Unlock.
func (s *Store) Touch(id string) bool {
	s.mu.RLock()
	n, ok := s.sessions[id]
	if !ok {
		s.mu.RUnlock()
		return false
	}
	s.sessions[id] = n + 1 // want "GMF102 write to s.sessions under s.mu.RLock"
	s.mu.RUnlock()
	return true
}

// Expire returns early from a switch case; the deferred RUnlock covers every path.
func (s *Store) Expire(id string, mode int) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	switch mode {
	case 0:
		return
	case 1:
		delete(s.sessions, id) // want "GMF102 delete on s.sessions"
	default:
		s.sessions[id] = 0 // want "GMF102 write to s.sessions"
	}
}
