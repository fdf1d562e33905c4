package sessions

type Store struct {
	byID map[string]string
}

// Forget removes a session; the nil check was written in the belief that
// delete panics on a nil map. It does not.
func (s *Store) Forget(id string) {
	delete(s.byID, id)
}

func forget(m map[string]int, k string) {
	delete(m, k)
}
