package scores

import (
	"fmt"
	"net/http"
	"sync"
)

// PlayerStore keeps scores in memory; no mutex.
type PlayerStore struct {
	scores map[string]int

	// scoresMu guards scores.
	scoresMu sync.RWMutex
}

func (s *PlayerStore) RecordWin(name string) {
	s.scoresMu.Lock()
	s.scores[name]++
	s.scoresMu.Unlock()
}

func (s *PlayerStore) Score(name string) int {
	s.scoresMu.RLock()
	scoresVal := s.scores[name]
	s.scoresMu.RUnlock()
	return scoresVal
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
