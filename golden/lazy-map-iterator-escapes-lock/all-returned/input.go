package config

import (
	"iter"
	"maps"
	"sync"
)

// Settings is read by handlers while an admin endpoint updates it.
type Settings struct {
	mu     sync.RWMutex
	values map[string]string
}

func New() *Settings { return &Settings{values: make(map[string]string)} }

func (s *Settings) Set(k, v string) {
	s.mu.Lock()
	s.values[k] = v
	s.mu.Unlock()
}

// All hands out a lazy view of the live map.
func (s *Settings) All() iter.Seq2[string, string] {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return maps.All(s.values) // want "GMF303 maps.All\\(s.values\\) is a lazy iterator"
}
