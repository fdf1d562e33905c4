package sessions

type point struct {
	x, y int
}

type ID string

type Store struct {
	byID    map[ID]string
	byPoint map[point][]string
}

// Every key type here is reflexive (k == k always holds): clear(m) removes exactly
// what the loop removes, so the fix is safe. It is a readability fix: the compiler
// already turns this loop into a map clear, and neither form gives memory back.
func reset(m map[string]int) {
	clear(m)
}

func (s *Store) reset() {
	clear(s.byID)
	clear(s.byPoint)
}

func resetArrays(m map[[2]int8]bool, ptrs map[*Store]int) {
	clear(m)
	clear(ptrs)
}
