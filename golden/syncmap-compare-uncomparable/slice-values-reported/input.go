package routes

import "sync"

// path -> []string of backends
var routes sync.Map

func Set(path string, backends []string) {
	routes.Store(path, backends)
}

// Panics at run time: "comparing uncomparable type []string".
func Replace(path string, backends []string) bool {
	old, ok := routes.Load(path)
	if !ok {
		return false
	}
	return routes.CompareAndSwap(path, old, backends) // want "GMF705 routes.CompareAndSwap on a sync.Map holding \\[\\]string values"
}

func Remove(path string, old []string) bool {
	return routes.CompareAndDelete(path, old) // want "GMF705 routes.CompareAndDelete with old value old of type \\[\\]string"
}

// The evidence is a type assertion on a loaded value.
type Table struct {
	rows sync.Map
}

func (t *Table) Count(k string) int {
	v, _ := t.rows.Load(k)
	return len(v.([]int))
}

func (t *Table) Drop(k string, seen any) {
	t.rows.CompareAndDelete(k, seen) // want "GMF705 t.rows.CompareAndDelete on a sync.Map holding \\[\\]int values"
}
