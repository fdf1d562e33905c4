package quiet

import "sync"

type Registry struct {
	mu    sync.RWMutex
	names map[string]int
}

func (r *Registry) Add(n string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.names[n] = len(r.names)
}

// All ranges under the read lock.
func (r *Registry) All() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.names))
	for n := range r.names {
		out = append(out, n)
	}
	return out
}

// countLocked runs with r.mu held by its caller.
func (r *Registry) countLocked() int {
	n := 0
	for range r.names {
		n++
	}
	return n
}

func (r *Registry) Count() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.countLocked()
}

// defaults is never written after init: concurrent ranges are fine.
var defaults = map[string]string{"a": "1"}

func Defaults() []string {
	var out []string
	for k := range defaults {
		out = append(out, k)
	}
	return out
}

func StartReaders(n int) {
	for i := 0; i < n; i++ {
		go Defaults()
	}
}

// Merge ranges a local map after the writers are done.
func Merge(parts []map[string]int) map[string]int {
	all := map[string]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			defer mu.Unlock()
			for k, v := range p {
				all[k] += v
			}
		}()
	}
	wg.Wait()
	total := 0
	for _, v := range all {
		total += v
	}
	all["total"] = total
	return all
}
