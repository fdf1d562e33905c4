package table

import (
	"net/http"
	"sync"
)

type Table struct {
	mu     sync.RWMutex
	byName map[string]int
}

// NewTable fills the map before the table is shared.
func NewTable(names []string) *Table {
	t := &Table{byName: map[string]int{}}
	for i, n := range names {
		t.byName[n] = i
	}
	t.addDefault()
	return t
}

func (t *Table) addDefault() {
	t.byName["default"] = 0
}

func (t *Table) Lookup(n string) int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.byName[n]
}

// routes is filled by init, then only read by the handlers.
var routes = map[string]string{}

func init() {
	routes["/"] = "index"
	routes["/about"] = "about"
}

func serve(w http.ResponseWriter, r *http.Request) {
	if name, ok := routes[r.URL.Path]; ok {
		w.Write([]byte(name))
	}
}

func Register(mux *http.ServeMux) {
	mux.HandleFunc("/", serve)
}
