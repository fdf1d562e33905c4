package sets

// Set is a named map type.
type Set map[string]struct{}

// Retain keeps the members for which keep is true.
func (s Set) Retain(keep func(string) bool) {
	for m := range s { // want "GMF305 filter-delete loop over s"
		if !keep(m) {
			delete(s, m)
		}
	}
}

// Filter works on any map through type parameters.
func Filter[K comparable, V any](m map[K]V, drop func(K, V) bool) {
	for k, v := range m { // want "GMF305 filter-delete loop over m"
		if drop(k, v) {
			delete(m, k)
		}
	}
}

// Cache is generic; its field map uses the type's parameter names.
type Cache[K comparable, V any] struct {
	items map[K]V
	zero  func(V) bool
}

func (c *Cache[K, V]) Compact() {
	for k, v := range c.items { // want "GMF305 filter-delete loop over c.items"
		if c.zero(v) {
			delete(c.items, k)
		}
	}
}
