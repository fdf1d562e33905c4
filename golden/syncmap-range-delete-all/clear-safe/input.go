package sessions

import "sync"

var active sync.Map

// Deleting key by key while others store: readers see a half-emptied map.
func LogoutAll() {
	active.Range(func(k, _ any) bool { // want "GMF704 active.Range deletes every key one by one: use active.Clear\\(\\)"
		active.Delete(k)
		return true
	})
}

type Hub struct {
	subs *sync.Map
}

func (h *Hub) Drop() {
	h.subs.Range(func(key, value interface{}) bool { // want "GMF704 h.subs.Range"
		h.subs.Delete(key)
		return true
	})
}
