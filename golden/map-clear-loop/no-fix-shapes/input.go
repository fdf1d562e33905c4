package sessions

// A labeled loop: the label may be the target of a goto, and a label on clear(m)
// would be unused otherwise; left to a human.
func resetLabeled(m map[string]int) {
again:
	for k := range m { // want "GMF304 .*no automatic fix: the loop is labeled"
		delete(m, k)
	}
	if len(m) > 0 {
		goto again
	}
}
