package counts

// Sets that only ever store true: false really means absent.
func unique(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if seen[x] == false {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// Counters that only grow: 0 really means never counted.
func firstSeen(xs []string) []string {
	c := map[string]int{}
	var order []string
	for _, x := range xs {
		if c[x] == 0 {
			order = append(order, x)
		}
		c[x]++
	}
	return order
}

// Ids that start at 1 keep 0 free for "absent".
func ids(xs []string) map[string]int {
	m := map[string]int{}
	for _, x := range xs {
		if m[x] == 0 {
			m[x] = len(m) + 1
		}
	}
	return m
}

// Values that are variables: not evidence that 0 is stored.
func names(m map[int]string, id int, name string) string {
	m[id] = name
	if m[id] == "" {
		return "?"
	}
	return m[id]
}

// A zero test that is not a presence test (no insert, no exit, not the whole
// condition).
func total(idx map[string]int, xs []string) int {
	for i, x := range xs {
		idx[x] = i
	}
	n := 0
	if idx["a"] == 0 && len(xs) > 1 {
		n++
	}
	zero := idx["b"] == 0
	if zero {
		n++
	}
	return n
}

// Not a map: a slice compared with 0.
func slice(xs []int, i int) bool {
	if xs[i] == 0 {
		return false
	}
	return true
}

// Pointers stored with & are never nil: get-or-create is correct.
type node struct{ n int }

func getOrCreate(m map[string]*node, k string) *node {
	if m[k] == nil {
		m[k] = &node{}
	}
	return m[k]
}
