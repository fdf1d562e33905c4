package cache

import "log"

var sizes = map[string]int{}

// Evict logs the size of the entry it evicts, after evicting it: the log
// always says 0. The read happens before log.Printf runs (arguments are
// evaluated first), so it is reported; the read in the next statement is not,
// because the call could have stored the entry again (sizes is package-level).
func Evict(key string) {
	delete(sizes, key)
	log.Printf("evicted %s (%d bytes)", key, sizes[key]) // want "GMF501 sizes\\[key\\] read after delete"
	log.Printf("now %d", sizes[key])
}
