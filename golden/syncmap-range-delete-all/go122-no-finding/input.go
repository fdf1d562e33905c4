package sessions

import "sync"

var active sync.Map

// go 1.22: sync.Map.Clear does not exist yet (1.23); the loop is the only way. Silent.
func LogoutAll() {
	active.Range(func(k, _ any) bool {
		active.Delete(k)
		return true
	})
}
