package registry

import "sync"

var (
	mu       sync.RWMutex
	handlers = map[string]func(){}
)

func Register(name string, h func()) {
	mu.RLock()
	handlers[name] = h // want "GMF102 write to handlers under mu.RLock\\(\\) only"
	mu.RUnlock()
}

func Reset() {
	mu.RLock()
	defer mu.RUnlock()
	clear(handlers) // want "GMF102 clear of handlers under mu.RLock"
}

func Lookup(name string) func() {
	mu.RLock()
	defer mu.RUnlock()
	return handlers[name]
}
