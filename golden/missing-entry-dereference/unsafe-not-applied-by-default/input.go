// Reported, but the fix is unsafe (a miss is now silently skipped): without
// --unsafe-fixes the file is left alone.

package chat

import "net"

// Session is one connected client.
type Session struct {
	conn  net.Conn
	muted bool
}

// Close ends the session.
func (s *Session) Close() error { return s.conn.Close() }

// Server tracks sessions, per-room hooks and shutdown channels by name.
type Server struct {
	sessions map[string]*Session
	hooks    map[string]func(string)
	quit     map[string]chan struct{}
}

// Kick closes a session by id. An unknown id (a stale client, a typo in an
// admin command) is a nil *Session: Close dereferences it and panics.
func (s *Server) Kick(id string) {
	s.sessions[id].Close() // want "GMF503 a method of s.sessions\\[id\\] with no presence check: .*nil pointer"
}

// Mute sets a field through the same nil pointer.
func (s *Server) Mute(id string, on bool) {
	s.sessions[id].muted = on // want "GMF503 a field of s.sessions\\[id\\]"
}

// Notify calls a room hook: a nil func call panics.
func (s *Server) Notify(room string) {
	s.hooks[room](room) // want "GMF503 a call of s.hooks\\[room\\] .*nil func"
}

// Shutdown closes a room's quit channel: close of a nil channel panics.
func (s *Server) Shutdown(room string) {
	close(s.quit[room]) // want "GMF503 close of s.quit\\[room\\] .*nil channel"
}
