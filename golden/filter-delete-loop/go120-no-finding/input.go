package old

// maps.DeleteFunc needs Go 1.21: below that the loop is the way to do it.
func Drop(m map[string]int) {
	for k, v := range m {
		if v == 0 {
			delete(m, k)
		}
	}
}
