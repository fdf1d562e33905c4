package cache

type Counter struct {
	hits map[string]int
}

// A value receiver: reassigning c.hits would only change the copy, while clear empties
// the caller's map. No fix.
func (c Counter) Reset() {
	clear(c.hits) // want "GMF601 clear\\(c.hits\\) .*no automatic fix: the struct is a copy here"
}

// With a pointer receiver the fix is offered (unsafe, so a human reviews it; the
// comment inside the loop goes with the loop).
func (c *Counter) Drop() {
	for k := range c.hits { // want "GMF601 deleting every key of c.hits"
		// forget it
		delete(c.hits, k)
	}
}
