package sessions

type Store struct {
	byID map[string]string
}

// Forget removes a session; the nil check was written in the belief that
// delete panics on a nil map. It does not.
func (s *Store) Forget(id string) {
	if s.byID != nil { // want "GMF203 redundant nil check"
		delete(s.byID, id)
	}
}

func forget(m map[string]int, k string) {
	if nil != m { // want "GMF203 redundant nil check"
		delete(m, k)
	}
}
