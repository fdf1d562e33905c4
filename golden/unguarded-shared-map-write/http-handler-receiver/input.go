package scores

import (
	"fmt"
	"net/http"
)

// PlayerStore keeps scores in memory; no mutex.
type PlayerStore struct {
	scores map[string]int
}

func (s *PlayerStore) RecordWin(name string) {
	s.scores[name]++ // want "GMF101 increment of an entry of s.scores: ServeHTTP is an HTTP handler: concurrent requests run it on the same value, and calls RecordWin on it"
}

func (s *PlayerStore) Score(name string) int {
	return s.scores[name]
}

// PlayerServer serves every request with the same store.
type PlayerServer struct {
	store *PlayerStore
}

func NewPlayerServer() *PlayerServer {
	return &PlayerServer{store: &PlayerStore{scores: map[string]int{}}}
}

func (p *PlayerServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Path
	if r.Method == http.MethodPost {
		p.store.RecordWin(name)
		return
	}
	fmt.Fprint(w, p.store.Score(name))
}
