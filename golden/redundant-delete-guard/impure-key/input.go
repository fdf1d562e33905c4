package sessions

var calls int

func next() string {
	calls++
	return "k"
}

// The guard evaluates next() twice; the plain delete once. The fix changes the
// number of calls, so it is offered only as an unsafe fix.
func drop(m map[string]int) {
	if _, ok := m[next()]; ok { // want "GMF203 redundant presence check"
		delete(m, next())
	}
}
