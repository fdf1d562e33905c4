package stats

// The comment inside the replaced statement cannot be carried over, so the fix is
// lowered to unsafe and not applied by default.
func pageViews(perUser map[string]map[string]int, user, page string) {
	perUser[user /* login name */][page]++ // want "GMF202 perUser\\[user\\] is nil"
}
