package sessions

import (
	"fmt"
	"sync"
)

var active, archive sync.Map

// The callback does more than delete.
func Drain() {
	active.Range(func(k, v any) bool {
		fmt.Println(k, v)
		active.Delete(k)
		return true
	})
}

// Deletes from another map.
func Forget() {
	active.Range(func(k, _ any) bool {
		archive.Delete(k)
		return true
	})
}

// Stops after the first key.
func DropOne() {
	active.Range(func(k, _ any) bool {
		active.Delete(k)
		return false
	})
}

// Not a sync.Map: a type of its own with Range and Delete.
type set struct{ m map[any]bool }

func (s *set) Range(f func(k, v any) bool) {
	for k, v := range s.m {
		if !f(k, v) {
			return
		}
	}
}
func (s *set) Delete(k any) { delete(s.m, k) }

func Empty(s *set) {
	s.Range(func(k, _ any) bool {
		s.Delete(k)
		return true
	})
}
