package sessions

// Session is one logged-in user.
type Session struct {
	User string
}

// Store keeps the live sessions by id.
type Store struct {
	byID map[string]*Session
}

// Remove deletes a session and means to return it, but reads it after the
// delete: the result is always nil.
func (s *Store) Remove(id string) *Session {
	delete(s.byID, id)
	return s.byID[id] // want "GMF501 s.byID\\[id\\] read after delete\\(s.byID, id\\): .*always the zero value"
}

// Logout logs the user name after forgetting the session: the condition is
// always false, and the body would dereference nil.
func (s *Store) Logout(id string) string {
	delete(s.byID, id)
	if s.byID[id] != nil { // want "GMF501 s.byID\\[id\\] read after delete"
		return s.byID[id].User // want "GMF501 s.byID\\[id\\] read after delete"
	}
	return ""
}

// Count reads a counter it has just deleted, inside a switch case.
func Count(counts map[string]int, name string, reset bool) int {
	switch {
	case reset:
		delete(counts, name)
		n := counts[name] // want "GMF501 counts\\[name\\] read after delete"
		return n
	}
	return counts[name]
}
