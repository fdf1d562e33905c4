package counter

import "sync"

type Counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *Counter) Inc(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n[k]++
}

func (c *Counter) Reset() {
	c.mu.Lock()
	clear(c.n)
	c.mu.Unlock()
}

// Drop releases the lock on both paths.
func (c *Counter) Drop(k string) bool {
	c.mu.Lock()
	if _, ok := c.n[k]; !ok {
		c.mu.Unlock()
		return false
	}
	delete(c.n, k)
	c.mu.Unlock()
	return true
}

// Each calls f under the lock, from a callback.
func (c *Counter) Each(f func(string, int)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, v := range c.n {
		f(k, v)
	}
}

var (
	tableMu sync.RWMutex
	table   = map[int]string{}
)

func Set(k int, v string) {
	tableMu.Lock()
	defer tableMu.Unlock()
	table[k] = v
}

func Get(k int) string {
	tableMu.RLock()
	defer tableMu.RUnlock()
	return table[k]
}

func Start(keys []int) {
	for _, k := range keys {
		go func() {
			tableMu.Lock()
			table[k] = "started"
			tableMu.Unlock()
		}()
	}
}
