package stats

// The fix uses only make and a nil test: the same at go 1.16.
func pageViews(perUser map[string]map[string]int, user, page string) {
	perUser[user][page]++ // want "GMF202 perUser\\[user\\] is nil"
}
