package sessions

import "sync"

var active sync.Map

// The fix would drop the comment: the engine downgrades it to unsafe, so plain
// `gomapfix fix` leaves the loop alone.
func LogoutAll() {
	active.Range(func(k, _ any) bool { // want "GMF704 active.Range"
		// Each session is closed by its owner.
		active.Delete(k)
		return true
	})
}
