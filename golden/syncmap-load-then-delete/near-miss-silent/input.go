package jobs

import (
	"fmt"
	"sync"
)

var pending sync.Map

// Different keys: LoadAndDelete would delete the wrong entry.
func Move(from, to string) {
	if v, ok := pending.Load(from); ok {
		pending.Delete(to)
		fmt.Println(v)
	}
}

// A type with Load and Delete methods that is not sync.Map.
type store struct{ m map[string]int }

func (s *store) Load(k string) (int, bool) { v, ok := s.m[k]; return v, ok }
func (s *store) Delete(k string)           { delete(s.m, k) }

func Pop(s *store, k string) {
	if v, ok := s.Load(k); ok {
		s.Delete(k)
		fmt.Println(v)
	}
}

// The condition is not just ok: LoadAndDelete would delete when cond is false.
func Maybe(k string, cond bool) {
	if v, ok := pending.Load(k); ok && cond {
		pending.Delete(k)
		fmt.Println(v)
	}
}

// The Delete runs later, in a goroutine: not this rule's shape.
func Later(k string) {
	if v, ok := pending.Load(k); ok {
		go func() {
			pending.Delete(k)
		}()
		fmt.Println(v)
	}
}

// Already atomic.
func Take(k string) {
	if v, ok := pending.LoadAndDelete(k); ok {
		fmt.Println(v)
	}
}
