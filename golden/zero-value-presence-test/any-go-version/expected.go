package legacy

// The comma-ok form is as old as Go: the fix needs no newer version.
func position(items []string, x string) int {
	pos := map[string]int{}
	for i, it := range items {
		pos[it] = i
	}
	if _, ok := pos[x]; !ok {
		return -1
	}
	return pos[x]
}
