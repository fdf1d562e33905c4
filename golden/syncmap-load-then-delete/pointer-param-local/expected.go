package jobs

import (
	"fmt"
	"sync"
)

type Server struct {
	inflight *sync.Map
}

func (s *Server) Finish(id int) {
	if req, ok := s.inflight.LoadAndDelete(id); ok {
		fmt.Println("done", req)
	}
}

func Drain(m *sync.Map, key string) {
	if v, ok := m.LoadAndDelete(key); ok {
		for i := 0; i < 3; i++ {
			if i == 1 {
				break // leaves only the inner loop
			}
		}
		fmt.Println(v)
	}
}

func Local(keys []string) {
	seen := &sync.Map{}
	for _, k := range keys {
		seen.Store(k, true)
	}
	for _, k := range keys {
		if v, ok := seen.LoadAndDelete(k); ok {
			fmt.Println(k, v)
		}
	}
}
