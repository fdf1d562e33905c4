package sessions

import "sync"

type session struct{ id string }

func (s *session) Close() error { return nil }

var (
	mu       sync.Mutex
	sessions = make(map[string]*session)
)

// Reset closes every session under the package lock; the fix needs no recent Go:
// make, append and a range over a slice.
func Reset() {
	mu.Lock()
	victims := make([]*session, 0, len(sessions))
	for _, s := range sessions {
		victims = append(victims, s)
	}
	sessions = make(map[string]*session)
	mu.Unlock()
	for _, s := range victims {
		s.Close()
	}
}
