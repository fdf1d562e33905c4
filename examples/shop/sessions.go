package shop

import (
	"net/http"
	"sync"
)

// Sessions maps login tokens to user names. HTTP handlers run concurrently,
// one goroutine per request.
type Sessions struct {
	mu    sync.RWMutex
	users map[string]string
}

// NewSessions returns an empty session table.
func NewSessions() *Sessions {
	return &Sessions{users: make(map[string]string)}
}

// User looks a token up under the read lock.
func (s *Sessions) User(token string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	user, ok := s.users[token]
	return user, ok
}

// Login forgets the lock that User takes: concurrent logins race, and can kill
// the process with "fatal error: concurrent map writes".
func (s *Sessions) Login(token, user string) {
	s.users[token] = user
}

// lastPath remembers the last path each user asked for, and nothing guards it.
var lastPath = map[string]string{}

// ServeHTTP logs the user in and records the path.
func (s *Sessions) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	user := r.FormValue("user")
	lastPath[user] = r.URL.Path
	s.Login(r.FormValue("token"), user)
}
