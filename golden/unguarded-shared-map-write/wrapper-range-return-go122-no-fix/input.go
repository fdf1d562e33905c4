package sessions

import "sync"

type Store struct {
	mu       sync.RWMutex
	sessions map[string]int
}

func (s *Store) Add(id string, user int) {
	s.sessions[id] = user // want "GMF101 write to s.sessions: .*no fix: the range at input.go:23 returns from inside the loop, which Range's callback cannot express; Go 1.23's All\\(\\) could"
}

func (s *Store) Get(id string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.sessions[id]
}

func (s *Store) FindUser(user int) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for id, u := range s.sessions {
		if u == user {
			return id
		}
	}
	return ""
}
