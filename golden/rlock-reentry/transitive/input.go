package store

import "sync"

type Store struct {
	mu   sync.Mutex
	data map[string][]byte
}

func (s *Store) lookup(k string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.data[k]
}

// Unexported helper that does not lock itself but calls one that does.
func (s *Store) exists(k string) bool { return s.lookup(k) != nil }

// Takes the mutex through a parameter.
func size(s *Store) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.data)
}

func (s *Store) Put(k string, v []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.exists(k) { // want "GMF105 s.exists\\(\\) takes s.mu.Lock\\(\\) \\(through Store.lookup\\) while s.mu.Lock\\(\\) is held \\(line 27\\): .*move the body of lookup into an unlocked lookupLocked helper"
		return
	}
	if size(s) > 100 { // want "GMF105 size\\(\\) takes s.mu.Lock\\(\\) while s.mu.Lock\\(\\) is held"
		return
	}
	s.data[k] = v
}

// A package-level mutex taken by a package function.
var (
	regMu    sync.Mutex
	registry = map[string]*Store{}
)

func lookupStore(name string) *Store {
	regMu.Lock()
	defer regMu.Unlock()
	return registry[name]
}

func Register(name string, s *Store) {
	regMu.Lock()
	defer regMu.Unlock()
	if lookupStore(name) != nil { // want "GMF105 lookupStore\\(\\) takes regMu.Lock\\(\\) while regMu.Lock\\(\\) is held"
		return
	}
	registry[name] = s
}
