package sessions

import (
	"maps"
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
	maps.DeleteFunc(s.byID, func(_ string, sess *Session) bool { return sess.Expires.Before(now) })
}

// DropInternal filters on the key only; the condition spans two lines.
func DropInternal(headers map[string][]string) {
	maps.DeleteFunc(headers, func(name string, _ []string) bool {
		return strings.HasPrefix(name, "X-Internal-") ||
			strings.HasPrefix(name, "X-Debug-")
	})
}

// Prune uses both key and value.
func Prune(counts map[string]int, keep string) {
	maps.DeleteFunc(counts, func(k string, n int) bool { return n == 0 && k != keep })
}
