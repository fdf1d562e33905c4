package counter

import "sync"

// counter is the idiom from "Go maps in action": an anonymous struct holding
// the map and the mutex that guards it.
var counter = struct {
	sync.RWMutex
	m map[string]int
}{m: make(map[string]int)}

func Get(k string) int {
	counter.RLock()
	n := counter.m[k]
	counter.RUnlock()
	return n
}

// Incr forgot the lock.
func Incr(k string) {
	counter.m[k]++ // want "GMF101 increment of an entry of counter.m: counter, which guards it elsewhere, is not held"
}
