package registry

import "sync"

type Handler func(string) string

var (
	mu       sync.Mutex
	handlers = map[string]Handler{}
)

func build(name string) Handler { return func(s string) string { return name + s } }

// Package-level map and mutex: the same two-section shape.
func Register(name string) Handler {
	mu.Lock()
	h, found := handlers[name]
	mu.Unlock()
	if found {
		return h
	}
	h = build(name)
	mu.Lock()
	handlers[name] = h // want "GMF104 check-then-act: insert into handlers\\[name\\] under a second mu.Lock\\(\\) section"
	mu.Unlock()
	return h
}
