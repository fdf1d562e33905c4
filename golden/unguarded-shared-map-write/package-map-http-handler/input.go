package stats

import (
	"fmt"
	"net/http"
)

// visits counts requests per path. HTTP handlers run concurrently, one
// goroutine per request.
var visits = map[string]int{}

func countVisit(w http.ResponseWriter, r *http.Request) {
	visits[r.URL.Path]++ // want "GMF101 increment of an entry of visits: countVisit is an HTTP handler"
	fmt.Fprintf(w, "%d visits\n", visits[r.URL.Path])
}

func resetVisits(w http.ResponseWriter, r *http.Request) {
	delete(visits, r.URL.Query().Get("path")) // want "GMF101 delete on visits: resetVisits is an HTTP handler"
}

func Register(mux *http.ServeMux) {
	mux.HandleFunc("/count", countVisit)
	mux.HandleFunc("/reset", resetVisits)
}
