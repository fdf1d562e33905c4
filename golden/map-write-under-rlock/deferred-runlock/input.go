package counter

import "sync"

type Counter struct {
	sync.RWMutex // embedded: the mutex is the receiver itself
	hits         map[string]int
}

func (c *Counter) Hit(page string) int {
	c.RLock()
	defer c.RUnlock()
	c.hits[page]++ // want "GMF102 increment of an entry of c.hits under c.RLock\\(\\) only"
	return c.hits[page]
}

type Registry struct {
	mu    sync.RWMutex
	names map[int]string
}

// Rename releases through a deferred closure; the RUnlock inside it is rewritten too.
func (r *Registry) Rename(id int, suffix string) {
	r.mu.RLock()
	defer func() {
		r.mu.RUnlock()
	}()
	r.names[id] += suffix // want "GMF102 write to r.names under r.mu.RLock"
}

func (r *Registry) Name(id int) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.names[id]
}
