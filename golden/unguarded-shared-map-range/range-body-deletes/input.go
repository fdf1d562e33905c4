package sessions

import (
	"sync"
	"time"
)

type Sessions struct {
	mu      sync.Mutex
	expires map[string]time.Time
}

func (s *Sessions) Touch(id string, now time.Time) {
	s.mu.Lock()
	s.expires[id] = now.Add(time.Minute)
	s.mu.Unlock()
}

// Expire deletes while ranging, without the lock: it needs Lock, not RLock.
func (s *Sessions) Expire(now time.Time) int {
	n := 0
	for id, at := range s.expires { // want "GMF103 range over s.expires"
		if at.Before(now) {
			delete(s.expires, id)
			n++
		}
	}
	return n
}
