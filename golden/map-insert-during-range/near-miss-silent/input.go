package cache

import "time"

type entry struct {
	expires time.Time
	hits    int
}

// Deleting during range is defined by the spec: a plain filter-delete loop is correct.
func expire(m map[string]entry, now time.Time) {
	for k, e := range m {
		if e.expires.Before(now) {
			delete(m, k)
		}
	}
}

// Updating the entry being visited (same key) creates nothing new: defined.
func touch(m map[string]entry) {
	for k, e := range m {
		e.hits++
		m[k] = e
	}
}

// Counting through the range key, with ++, is an update as well.
func bump(m map[string]int) {
	for k := range m {
		m[k]++
	}
}

// Inserts into another map are not inserts into the ranged one.
func copyInto(dst, src map[string]entry) {
	for k, e := range src {
		dst[k+"~"] = e
	}
}

// A closure defined in the loop is not run by the loop.
func deferred(m map[string]int) []func() {
	var fns []func()
	for k := range m {
		fns = append(fns, func() { m[k+"!"] = 1 })
	}
	return fns
}

// The loop ends right after the insert: no later iteration can see it.
func addOnce(m map[string]int) {
	for k := range m {
		if k == "seed" {
			m["seed2"] = 1
			break
		}
	}
}

func addAndReturn(m map[string]int) bool {
	for k, v := range m {
		if v > 10 {
			m[k+"-big"] = v
			return true
		}
	}
	return false
}

// Indexing a slice in its own range is not a map insert.
func shift(s []int) {
	for i := range s {
		if i+1 < len(s) {
			s[i+1] = s[i]
		}
	}
}

// The body re-points m at another map before writing: the ranged map is untouched.
func rebuild(m map[string]int) map[string]int {
	for k := range m {
		m = map[string]int{}
		m[k] = 1
	}
	return m
}
