package screen

// This package declares its own clear: clear(m) would call it, not the builtin.
func clear(lines []string) {
	for i := range lines {
		lines[i] = ""
	}
}

func reset(m map[string]int) {
	for k := range m { // want "GMF304 .*no automatic fix: clear is redeclared here"
		delete(m, k)
	}
}
