package jobs

// Two loops of one function fixed in the same pass: each snapshot gets its own name.
func twice(m map[int]int) {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for _, k := range keys {
		m[k+1] = k
	}
	keys2 := make([]int, 0, len(m))
	for k := range m {
		keys2 = append(keys2, k)
	}
	for _, k := range keys2 {
		m[-k] = k
	}
}
