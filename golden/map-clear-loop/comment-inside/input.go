package sessions

// The loop holds a comment that clear(m) would drop: the engine downgrades the fix to
// unsafe, so the default run leaves the loop alone.
func reset(m map[string]int) {
	for k := range m { // want "GMF304 loop deletes every key of m"
		// Keep the map itself: callers hold a reference to it.
		delete(m, k)
	}
}
