package counter

import "sync"

type Counter struct {
	sync.RWMutex // embedded: the mutex is the receiver itself
	hits         map[string]int
}

func (c *Counter) Hit(page string) int {
	c.Lock()
	defer c.Unlock()
	c.hits[page]++
	return c.hits[page]
}

type Registry struct {
	mu    sync.RWMutex
	names map[int]string
}

// Rename releases through a deferred closure; the RUnlock inside it is rewritten too.
func (r *Registry) Rename(id int, suffix string) {
	r.mu.Lock()
	defer func() {
		r.mu.Unlock()
	}()
	r.names[id] += suffix
}

func (r *Registry) Name(id int) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.names[id]
}
