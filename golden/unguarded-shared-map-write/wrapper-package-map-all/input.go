package stats

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// lastAgent records the last user agent seen per path. HTTP handlers run
// concurrently, one goroutine per request.
var lastAgent = make(map[string]string)

func record(w http.ResponseWriter, r *http.Request) {
	lastAgent[r.URL.Path] = r.UserAgent() // want "GMF101 write to lastAgent: record is an HTTP handler"
	fmt.Fprintln(w, "ok")
}

func report(w http.ResponseWriter, r *http.Request) {
	var lines []string
	for path, agent := range lastAgent {
		if strings.HasPrefix(path, "/internal/") {
			continue
		}
		lines = append(lines, path+" "+agent)
	}
	sort.Strings(lines)
	fmt.Fprintf(w, "%d paths\n%s\n", len(lastAgent), strings.Join(lines, "\n"))
}

func forget(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Query().Get("path")
	if agent := lastAgent[path]; agent != "" {
		delete(lastAgent, path) // want "GMF101 delete on lastAgent: forget is an HTTP handler"
		fmt.Fprintln(w, "forgot", agent)
	}
}

func Register(mux *http.ServeMux) {
	mux.HandleFunc("/record/", record)
	mux.HandleFunc("/report", report)
	mux.HandleFunc("/forget", forget)
}
