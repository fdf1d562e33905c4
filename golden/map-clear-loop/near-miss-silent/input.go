package sessions

// Deletes only some keys: a filter, not a clear.
func dropEmpty(m map[string]int) {
	for k, v := range m {
		if v == 0 {
			delete(m, k)
		}
	}
}

// Does more than delete.
func drain(m map[string]int, out chan<- string) {
	for k := range m {
		out <- k
		delete(m, k)
	}
}

// Deletes from another map.
func subtract(a, b map[string]int) {
	for k := range b {
		delete(a, k)
	}
}

// Deletes a key other than the range key.
func dropPrefixed(m map[string]int) {
	for k := range m {
		delete(m, "tmp/"+k)
	}
}

// Assignment form: k keeps the last key after the loop, which clear would not set.
func lastKey(m map[string]int) string {
	var k string
	for k = range m {
		delete(m, k)
	}
	return k
}

// The body shadows k.
func shadowed(m map[string]int) {
	for k := range m {
		k := k + "x"
		delete(m, k)
	}
}
