package sets

import "maps"

// Set is a named map type.
type Set map[string]struct{}

// Retain keeps the members for which keep is true.
func (s Set) Retain(keep func(string) bool) {
	maps.DeleteFunc(s, func(m string, _ struct{}) bool { return !keep(m) })
}

// Filter works on any map through type parameters.
func Filter[K comparable, V any](m map[K]V, drop func(K, V) bool) {
	maps.DeleteFunc(m, func(k K, v V) bool { return drop(k, v) })
}

// Cache is generic; its field map uses the type's parameter names.
type Cache[K comparable, V any] struct {
	items map[K]V
	zero  func(V) bool
}

func (c *Cache[K, V]) Compact() {
	maps.DeleteFunc(c.items, func(_ K, v V) bool { return c.zero(v) })
}
