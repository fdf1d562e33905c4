package stats

import (
	"fmt"
	"net/http"
	"sync"
)

// visits counts requests per path. HTTP handlers run concurrently, one
// goroutine per request.
var visits = map[string]int{}

// visitsMu guards visits.
var visitsMu sync.RWMutex

func countVisit(w http.ResponseWriter, r *http.Request) {
	visitsMu.Lock()
	visits[r.URL.Path]++
	visitsVal := visits[r.URL.Path]
	visitsMu.Unlock()
	fmt.Fprintf(w, "%d visits\n", visitsVal)
}

func resetVisits(w http.ResponseWriter, r *http.Request) {
	visitsKey := r.URL.Query().Get("path")
	visitsMu.Lock()
	delete(visits, visitsKey)
	visitsMu.Unlock()
}

func Register(mux *http.ServeMux) {
	mux.HandleFunc("/count", countVisit)
	mux.HandleFunc("/reset", resetVisits)
}
