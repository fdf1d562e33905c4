package sessions

import "maps"

// A clone to get an independent copy, not to compact: nothing was deleted.
func Snapshot(m map[string]int) map[string]int {
	return maps.Clone(m)
}

// Deleted from one map, cloned another.
func Other(a, b map[string]int) map[string]int {
	for k := range a {
		delete(a, k)
	}
	return maps.Clone(b)
}

// A single delete is not a bulk delete.
func One(m map[string]int, k string) map[string]int {
	delete(m, k)
	return maps.Clone(m)
}

// The clone inside the loop that deletes: each copy is taken mid-way, not to compact.
func History(m map[string]int, keys []string) []map[string]int {
	var out []map[string]int
	for _, k := range keys {
		delete(m, k)
		out = append(out, maps.Clone(m))
	}
	return out
}

// Already the right way.
func Compacted(m map[string]int) map[string]int {
	for k, v := range m {
		if v == 0 {
			delete(m, k)
		}
	}
	n := make(map[string]int, len(m))
	maps.Copy(n, m)
	return n
}
