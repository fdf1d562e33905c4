package routes

import "sync"

var (
	counts sync.Map // string -> int
	lists  sync.Map // string -> []string
	ptrs   sync.Map // string -> *[]string
)

func Init() {
	counts.Store("a", 1)
	lists.Store("a", []string{"x"})
	l := []string{"y"}
	ptrs.Store("b", &l)
}

// Comparable values: fine.
func Bump(k string, old int) bool {
	return counts.CompareAndSwap(k, old, old+1)
}

// nil never equals a stored slice's dynamic type: no panic.
func Claim(k string) bool {
	return lists.CompareAndSwap(k, nil, []string{"z"})
}

// An old value of a visibly comparable type differs in type from a []string: false,
// no panic.
func Odd(k string) bool {
	return lists.CompareAndDelete(k, 42)
}

// Pointers compare by identity: the recommended shape.
func Replace(k string, old *[]string, next *[]string) bool {
	return ptrs.CompareAndSwap(k, old, next)
}

// Another map holds the slices.
func Other(k string, old any) bool {
	return counts.CompareAndDelete(k, old)
}
