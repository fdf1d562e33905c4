package registry

import "sync"

var cache sync.Map

// A plain map is not a sync.Map (its races are other rules' business).
var plain = map[string]int{}

func Plain(k string) {
	if _, ok := plain[k]; !ok {
		plain[k] = 1
	}
}

// Another key.
func OtherKey(k, j string) {
	if _, ok := cache.Load(k); !ok {
		cache.Store(j, 1)
	}
}

// Stores on a hit: an update, not a check-then-insert.
func Hit(k string) {
	if _, ok := cache.Load(k); ok {
		cache.Store(k, 2)
	}
}

// The miss path settles the race with LoadOrStore itself; the Load is a fast path.
func FastPath(k string) any {
	if _, ok := cache.Load(k); !ok {
		v, loaded := cache.LoadOrStore(k, "pending")
		if !loaded {
			cache.Store(k, "done")
		}
		return v
	}
	return nil
}

// Under a mutex the check-then-act is serialised by the lock.
var mu sync.Mutex

func Locked(k string) {
	mu.Lock()
	defer mu.Unlock()
	if _, ok := cache.Load(k); !ok {
		cache.Store(k, 3)
	}
}

// A type with Load and Store methods that is not a sync.Map.
type store struct{ m map[string]int }

func (s *store) Load(k string) (int, bool) { v, ok := s.m[k]; return v, ok }
func (s *store) Store(k string, v int)     { s.m[k] = v }

func Custom(s *store, k string) {
	if _, ok := s.Load(k); !ok {
		s.Store(k, 1)
	}
}

// The early-return getter done right: LoadOrStore settles the race.
func Get(name string) any {
	if c, ok := cache.Load(name); ok {
		return c
	}
	c, _ := cache.LoadOrStore(name, name+"!")
	return c
}

// A hit that returns, then a Store of another key.
func Alias(name string) {
	if _, ok := cache.Load(name); ok {
		return
	}
	name = "alias/" + name
	cache.Store(name, 1)
}

// A memoising getter of a plain value: two goroutines compute and store the same
// number; nothing observes which Store won.
var sizes sync.Map

func sizeOf(name string) int { return len(name) * 8 }

func Size(name string) int {
	if v, ok := sizes.Load(name); ok {
		return v.(int)
	}
	n := sizeOf(name)
	sizes.Store(name, n)
	return n
}
