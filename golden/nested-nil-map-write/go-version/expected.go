package stats

// The fix uses only make and a nil test: the same at go 1.16.
func pageViews(perUser map[string]map[string]int, user, page string) {
	inner := perUser[user]
	if inner == nil {
		inner = make(map[string]int)
		perUser[user] = inner
	}
	inner[page]++
}
