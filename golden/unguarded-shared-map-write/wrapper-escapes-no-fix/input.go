package registry

import (
	"encoding/json"
	"sync"
)

type Registry struct {
	mu    sync.Mutex
	names map[string]string
}

func (r *Registry) Set(k, v string) {
	r.names[k] = v // want "GMF101 write to r.names: .*no fix: Registry.names escapes at input.go:26 \\(passed to json.Marshal\\)"
}

func (r *Registry) Get(k string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.names[k]
}

func (r *Registry) JSON() ([]byte, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return json.Marshal(r.names)
}
