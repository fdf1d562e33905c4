package cache

type entry struct{ hits int }

// Evict keeps a comment inside the loop that the rewrite would drop: the fix is
// downgraded to unsafe and not applied by default.
func Evict(entries map[string]*entry) {
	for k, e := range entries { // want "GMF305 filter-delete loop over entries"
		if e.hits == 0 {
			// never read since the last sweep
			delete(entries, k)
		}
	}
}
