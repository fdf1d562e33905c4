package registry

import "sync"

var (
	mu       sync.RWMutex
	handlers = map[string]func(){}
)

func Register(name string, h func()) {
	mu.Lock()
	handlers[name] = h
	mu.Unlock()
}

func Reset() {
	mu.Lock()
	defer mu.Unlock()
	clear(handlers)
}

func Lookup(name string) func() {
	mu.RLock()
	defer mu.RUnlock()
	return handlers[name]
}
