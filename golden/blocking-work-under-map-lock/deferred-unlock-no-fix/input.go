package server

import (
	"net"
	"sync"
)

type Server struct {
	mu     sync.RWMutex
	active map[net.Conn]struct{}
	quit   map[string]chan struct{}
}

// Shutdown closes every connection; the lock is released by a deferred Unlock,
// so the work cannot be moved after it automatically.
func (s *Server) Shutdown() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.active { // want "GMF302 blocking work while ranging over s.active with s.mu.Lock\\(\\) held: c.Close\\(\\) may block.*no automatic fix: s.mu is released by a deferred Unlock\\(\\)"
		c.Close()
		delete(s.active, c)
	}
}

// Wait receives under the read lock: every writer waits until all workers quit.
func (s *Server) Wait() {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, done := range s.quit { // want "GMF302 .*with s.mu.RLock\\(\\) held: channel receive from done blocks.*deferred RUnlock"
		<-done
	}
}
