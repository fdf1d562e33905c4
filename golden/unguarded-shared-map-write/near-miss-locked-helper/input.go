package store

import "sync"

type Store struct {
	mu   sync.Mutex
	data map[string]string
}

func (s *Store) Get(k string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.data[k]
}

func (s *Store) Set(k, v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setLocked(k, v)
}

func (s *Store) setLocked(k, v string) {
	s.data[k] = v
}

// evict drops a key. The caller must hold s.mu.
func (s *Store) evict(k string) {
	delete(s.data, k)
}

func (s *Store) Evict(k string) {
	s.mu.Lock()
	s.evict(k)
	s.mu.Unlock()
}

// bump is only ever called with the lock held, without saying so.
func (s *Store) bump(k string) {
	s.data[k] += "!"
}

func (s *Store) Bump(k string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bump(k)
}
