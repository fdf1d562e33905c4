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
	for _, s := range sessions { // want "GMF302 blocking work while ranging over sessions with mu.Lock\\(\\) held: s.Close\\(\\) may block"
		s.Close()
	}
	sessions = make(map[string]*session)
	mu.Unlock()
}
