package registry

import "sync"

var seen sync.Map

// The fix evaluates the value eagerly: unsafe, so plain `gomapfix fix` leaves it.
func Mark(key string) {
	if _, ok := seen.Load(key); !ok { // want "GMF702 seen.Load\\(key\\)"
		seen.Store(key, struct{}{})
	}
}
