package server

import "sync"

// Server has no mutex: its goroutine writes state while Get reads it. The fix
// adds one at the end of the struct and holds it at every access.
type Server struct {
	events chan [2]string
	state  map[string]string

	// stateMu guards state.
	stateMu sync.RWMutex
}

func NewServer() *Server {
	return &Server{events: make(chan [2]string), state: map[string]string{}}
}

func (s *Server) Start() {
	go func() {
		for ev := range s.events {
			s.stateMu.Lock()
			s.state[ev[0]] = ev[1]
			s.stateMu.Unlock()
		}
	}()
}

func (s *Server) Get(k string) string {
	s.stateMu.RLock()
	stateVal := s.state[k]
	s.stateMu.RUnlock()
	return stateVal
}
