package chat

import "sort"

type Session struct {
	User string
}

// Name is nil-safe: it checks its receiver.
func (s *Session) Name() string {
	if s == nil {
		return ""
	}
	return s.User
}

type Point struct{ X, Y int }

type Server struct {
	sessions map[string]*Session
	points   map[string]Point
	byKind   map[int]*Session
}

const admin = "admin"

// Checked first.
func (s *Server) Checked(id string) string {
	if _, ok := s.sessions[id]; !ok {
		return ""
	}
	return s.sessions[id].User
}

// Created first.
func (s *Server) Ensure(id string) string {
	if s.sessions[id] == nil {
		s.sessions[id] = &Session{User: id}
	}
	return s.sessions[id].User
}

// Keys that come from the map itself are present.
func (s *Server) All() []string {
	var out []string
	for id := range s.sessions {
		out = append(out, s.sessions[id].User)
	}
	keys := make([]string, 0, len(s.sessions))
	for id := range s.sessions {
		keys = append(keys, id)
	}
	sort.Strings(keys)
	for _, id := range keys {
		out = append(out, s.sessions[id].User)
	}
	return out
}

// Constant keys name entries registered by construction.
func (s *Server) Admin() string {
	return s.sessions[admin].User + s.sessions["root"].User + s.byKind[3].User
}

// A nil-safe method on a missing entry is fine.
func (s *Server) SafeName(id string) string {
	return s.sessions[id].Name()
}

// A struct value: the zero Point is fine to read.
func (s *Server) X(id string) int {
	return s.points[id].X
}

// The key is not an exported function's input: internal bookkeeping, where
// lookups are present by the package's own invariants.
func (s *Server) user(id string) string {
	return s.sessions[id].User
}

// The parameter is rewritten before the lookup: no longer the caller's key.
func (s *Server) Canonical(id string) string {
	id = canonical(id)
	return s.sessions[id].User
}

func canonical(id string) string { return id }

// The comma-ok form itself, and a read without dereference.
func (s *Server) Get(id string) (*Session, bool) {
	v, ok := s.sessions[id]
	_ = s.sessions[id] == nil
	return v, ok
}
