package registry

import "sync"

var (
	mu       sync.RWMutex
	handlers = map[string]func() string{}
)

func Lookup(name string) (func() string, bool) {
	mu.RLock()
	defer mu.RUnlock()
	h, ok := handlers[name]
	return h, ok
}

func Names() []string {
	mu.RLock()
	defer mu.RUnlock()
	names := make([]string, 0, len(handlers))
	for name := range handlers {
		names = append(names, name)
	}
	return names
}

// Register forgot the lock that Lookup and Names take.
func Register(name string, h func() string) {
	if h == nil {
		delete(handlers, name) // want "GMF101 delete on handlers: mu, which guards it elsewhere, is not held"
		return
	}
	handlers[name] = h // want "GMF101 write to handlers: mu, which guards it elsewhere"
}
