package stats

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// lastAgent records the last user agent seen per path. HTTP handlers run
// concurrently, one goroutine per request.
var lastAgent MapWrapper[string, string]

func record(w http.ResponseWriter, r *http.Request) {
	lastAgent.Store(r.URL.Path, r.UserAgent())
	fmt.Fprintln(w, "ok")
}

func report(w http.ResponseWriter, r *http.Request) {
	var lines []string
	for path, agent := range lastAgent.All() {
		if strings.HasPrefix(path, "/internal/") {
			continue
		}
		lines = append(lines, path+" "+agent)
	}
	sort.Strings(lines)
	fmt.Fprintf(w, "%d paths\n%s\n", lastAgent.Len(), strings.Join(lines, "\n"))
}

func forget(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Query().Get("path")
	if agent, _ := lastAgent.Load(path); agent != "" {
		lastAgent.Delete(path)
		fmt.Fprintln(w, "forgot", agent)
	}
}

func Register(mux *http.ServeMux) {
	mux.HandleFunc("/record/", record)
	mux.HandleFunc("/report", report)
	mux.HandleFunc("/forget", forget)
}
