package chat

type Session struct {
	User  string
	Count int
}

type Server struct {
	sessions map[string]*Session
	other    map[string]*Session
}

// Reported without a fix: a return statement needs a decision about the
// result on a miss.
func (s *Server) User(id string) string {
	return s.sessions[id].User // want "GMF503 a field of s.sessions\\[id\\]"
}

// A declaration: wrapping it in an if would hide the variable from the rest of
// the function.
func (s *Server) Label(id string) string {
	name := s.sessions[id].User + "!" // want "GMF503 a field of s.sessions\\[id\\]"
	return name
}

// Two lookups in one statement: no single comma-ok form covers both.
func (s *Server) Copy(from, to string) {
	s.other[to].User = s.sessions[from].User // want "GMF503 a field of s.other\\[to\\]" "GMF503 a field of s.sessions\\[from\\]"
}

// An increment is not a plain assignment.
func (s *Server) Bump(id string) {
	s.sessions[id].Count++ // want "GMF503 a field of s.sessions\\[id\\]"
}
