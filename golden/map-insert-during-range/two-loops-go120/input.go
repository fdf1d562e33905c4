package jobs

// Two loops of one function fixed in the same pass: each snapshot gets its own name.
func twice(m map[int]int) {
	for k := range m { // want "GMF301 map insert during range over m"
		m[k+1] = k
	}
	for k := range m { // want "GMF301 map insert during range over m"
		m[-k] = k
	}
}
