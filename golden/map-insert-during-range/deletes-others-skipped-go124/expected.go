package grow

import (
	"maps"
	"slices"
)

// Grow inserts while ranging (nondeterministic) and deletes odd keys on the first
// visit: range never produces an entry deleted before it is reached, and the
// snapshot that fixes the insert must keep that promise.
func Grow(m map[int]int) (odd int) {
	first := true
	for _, k := range slices.Collect(maps.Keys(m)) {
		if _, ok := m[k]; !ok {
			continue // deleted earlier in this loop
		}
		if first {
			for i := 100; i < 200; i++ {
				m[i] = i
			}
			for i := 1; i < 200; i += 2 {
				delete(m, i)
			}
			first = false
		} else if k&1 == 1 {
			odd++
		}
	}
	return odd
}

// Sum visits values live: a value deleted meanwhile is skipped.
func Sum(m map[string]int) (total int) {
	for _, k := range slices.Collect(maps.Keys(m)) {
		v, ok := m[k]
		if !ok {
			continue // deleted earlier in this loop
		}
		delete(m, "other")
		m[k+"!"] = v
		total += v
	}
	return total
}
