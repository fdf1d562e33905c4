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
	for k := range m { // want "GMF304 loop deletes every key of m: use clear\\(m\\)$"
		delete(m, k)
	}
}

func (s *Store) reset() {
	for id := range s.byID { // want "GMF304 loop deletes every key of s.byID: use clear\\(s.byID\\)$"
		delete(s.byID, id)
	}
	for p, _ := range s.byPoint { // want "GMF304 loop deletes every key of s.byPoint: use clear\\(s.byPoint\\)$"
		delete(s.byPoint, p)
	}
}

func resetArrays(m map[[2]int8]bool, ptrs map[*Store]int) {
	for k := range m { // want "GMF304"
		delete(m, k)
	}
	for k := range ptrs { // want "GMF304"
		delete(ptrs, k)
	}
}
