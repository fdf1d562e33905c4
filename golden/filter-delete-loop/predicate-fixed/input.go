package sessions

import (
	"strings"
	"time"
)

type Session struct {
	User    string
	Expires time.Time
}

type Store struct {
	byID map[string]*Session
}

// Sweep drops expired sessions. The loop is already correct (deleting during
// range is defined behaviour); maps.DeleteFunc only says it more directly.
func (s *Store) Sweep(now time.Time) {
	for id, sess := range s.byID { // want "GMF305 filter-delete loop over s.byID: maps.DeleteFunc"
		if sess.Expires.Before(now) {
			delete(s.byID, id)
		}
	}
}

// DropInternal filters on the key only; the condition spans two lines.
func DropInternal(headers map[string][]string) {
	for name := range headers { // want "GMF305 filter-delete loop over headers"
		if strings.HasPrefix(name, "X-Internal-") ||
			strings.HasPrefix(name, "X-Debug-") {
			delete(headers, name)
		}
	}
}

// Prune uses both key and value.
func Prune(counts map[string]int, keep string) {
	for k, n := range counts { // want "GMF305 filter-delete loop over counts"
		if n == 0 && k != keep {
			delete(counts, k)
		}
	}
}
