package server

// Server has no mutex: its goroutine writes state while Get reads it. The fix
// adds one at the end of the struct and holds it at every access.
type Server struct {
	events chan [2]string
	state  map[string]string
}

func NewServer() *Server {
	return &Server{events: make(chan [2]string), state: map[string]string{}}
}

func (s *Server) Start() {
	go func() {
		for ev := range s.events {
			s.state[ev[0]] = ev[1] // want "GMF101 write to s.state: Server starts a goroutine that uses Server.state while its other methods use it too"
		}
	}()
}

func (s *Server) Get(k string) string {
	return s.state[k]
}
