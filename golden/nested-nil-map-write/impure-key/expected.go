package stats

var n int

func next() string {
	n++
	return "k"
}

// A key with side effects is bound once first, so it is still evaluated exactly
// once and before the rest of the statement: the fix stays safe.
func record(m map[string]map[string]int, page string) {
	key := next()
	inner := m[key]
	if inner == nil {
		inner = make(map[string]int)
		m[key] = inner
	}
	inner[page]++
}

func receive(m map[string]map[string]int, keys <-chan string) {
	key := <-keys
	inner := m[key]
	if inner == nil {
		inner = make(map[string]int)
		m[key] = inner
	}
	inner["seen"] = 1
}

// x/2 may divide by zero (side effect: a panic) and cannot be bound with := without
// risking a different type for constant operands: the fix evaluates it twice and
// is offered as unsafe.
func bucket(m map[int]map[string]int, x int, word string) {
	inner := m[x/2]
	if inner == nil {
		inner = make(map[string]int)
		m[x/2] = inner
	}
	inner[word] = x
}
