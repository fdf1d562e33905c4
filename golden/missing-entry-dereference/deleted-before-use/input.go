package chat

type Session struct {
	User string
}

type server struct {
	sessions map[string]*Session
}

// The entry may have been deleted on the way: reported by GMF503 (deleted
// branch-wise, so GMF501's straight-line rule does not see it). No fix: the
// statement would just never run.
func (s *server) leave(id string, kick bool) string {
	if kick {
		delete(s.sessions, id)
	}
	return s.sessions[id].User // want "GMF503 a field of s.sessions\\[id\\] .*deleted at line 16"
}

// Straight after the delete it is GMF501's finding (read after delete), not
// this rule's.
func (s *server) drop(id string) string {
	delete(s.sessions, id)
	return s.sessions[id].User
}
