package jobs

import (
	"fmt"
	"sync"
)

type Server struct {
	inflight *sync.Map
}

func (s *Server) Finish(id int) {
	if req, ok := s.inflight.Load(id); ok { // want "GMF701 s.inflight.Load\\(id\\)"
		fmt.Println("done", req)
		s.inflight.Delete(id)
	}
}

func Drain(m *sync.Map, key string) {
	if v, ok := m.Load(key); ok { // want "GMF701 m.Load\\(key\\)"
		for i := 0; i < 3; i++ {
			if i == 1 {
				break // leaves only the inner loop
			}
		}
		m.Delete(key)
		fmt.Println(v)
	}
}

func Local(keys []string) {
	seen := &sync.Map{}
	for _, k := range keys {
		seen.Store(k, true)
	}
	for _, k := range keys {
		if v, ok := seen.Load(k); ok { // want "GMF701 seen.Load\\(k\\)"
			seen.Delete(k)
			fmt.Println(k, v)
		}
	}
}
