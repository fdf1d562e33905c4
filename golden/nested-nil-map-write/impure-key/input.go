package stats

var n int

func next() string {
	n++
	return "k"
}

// A key with side effects is bound once first, so it is still evaluated exactly
// once and before the rest of the statement: the fix stays safe.
func record(m map[string]map[string]int, page string) {
	m[next()][page]++ // want "GMF202 m\\[next\\(\\)\\] is nil"
}

func receive(m map[string]map[string]int, keys <-chan string) {
	m[<-keys]["seen"] = 1 // want "GMF202 m\\[<-keys\\] is nil"
}

// x/2 may divide by zero (side effect: a panic) and cannot be bound with := without
// risking a different type for constant operands: the fix evaluates it twice and
// is offered as unsafe.
func bucket(m map[int]map[string]int, x int, word string) {
	m[x/2][word] = x // want "GMF202 m\\[x/2\\] is nil"
}
