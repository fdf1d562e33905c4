package legacy

// Reported, but the fix is unsafe (a stored 0 changes meaning): without
// --unsafe-fixes the file is left alone.
func position(items []string, x string) int {
	pos := map[string]int{}
	for i, it := range items {
		pos[it] = i
	}
	if pos[x] == 0 { // want "GMF502 pos\\[x\\] == 0 used as a presence test"
		return -1
	}
	return pos[x]
}
