package cache

type Counter struct {
	hits map[string]int
}

// A value receiver: reassigning c.hits would only change the copy, while clear empties
// the caller's map. No fix.
func (c Counter) Reset() {
	clear(c.hits)
}

// With a pointer receiver the fix is offered (unsafe, so a human reviews it; the
// comment inside the loop goes with the loop).
func (c *Counter) Drop() {
	c.hits = make(map[string]int)
}
