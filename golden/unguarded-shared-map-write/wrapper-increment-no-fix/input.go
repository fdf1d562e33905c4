package stats

import (
	"fmt"
	"net/http"
)

// hits counts requests per path; handlers run concurrently.
var hits = map[string]int{}

func count(w http.ResponseWriter, r *http.Request) {
	hits[r.URL.Path]++ // want "GMF101 increment of an entry of hits: count is an HTTP handler.*no fix: hits is read and written in one statement at input.go:12: MapWrapper has no atomic update"
	fmt.Fprintln(w, len(hits))
}

func Register(mux *http.ServeMux) {
	mux.HandleFunc("/", count)
}
