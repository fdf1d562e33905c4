package sessions

// Before Go 1.21 there is no clear builtin: this loop is the only way to empty a map
// in place, so it is not reported at all.
func reset(m map[string]int) {
	for k := range m {
		delete(m, k)
	}
}
