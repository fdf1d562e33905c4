package sessions

import (
	"maps"
	"time"
)

type Session struct {
	Expires time.Time
}

// Compact drops expired sessions and "compacts" the map with a clone, which keeps the
// capacity of the full map: the clone is as big as the original.
func Compact(all []string, now time.Time) map[string]Session {
	live := make(map[string]Session, len(all))
	for _, id := range all {
		live[id] = Session{Expires: now}
	}
	maps.DeleteFunc(live, func(_ string, s Session) bool { return s.Expires.Before(now) })
	compacted := make(map[string]Session, len(live))
	maps.Copy(compacted, live)
	live = compacted
	return live
}
