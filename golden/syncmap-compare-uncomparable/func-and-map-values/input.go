package routes

import "sync"

var handlers sync.Map

func handle() {}

func Register(name string) {
	handlers.Store(name, handle)
}

func Swap(name string, old any) {
	handlers.CompareAndSwap(name, old, func() {}) // want "GMF705 handlers.CompareAndSwap on a sync.Map holding func values"
}

type Labels map[string]string

var labels sync.Map

func Label(id int, l Labels) {
	labels.LoadOrStore(id, l)
}

func Unlabel(id int, old any) {
	labels.CompareAndDelete(id, old) // want "GMF705 labels.CompareAndDelete on a sync.Map holding Labels values"
}

// Values seen in a Range callback.
type point struct {
	tags []string
}

var points sync.Map

func Dump() int {
	n := 0
	points.Range(func(_, v any) bool {
		n += len(v.(point).tags)
		return true
	})
	return n
}

func Move(k string, from any) {
	points.CompareAndSwap(k, from, nil) // want "GMF705 points.CompareAndSwap on a sync.Map holding point values"
}
