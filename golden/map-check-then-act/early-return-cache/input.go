package cache

import "sync"

type Entry struct{ value string }

func load(k string) (*Entry, error) { return &Entry{value: k}, nil }

type Cache struct {
	mu      sync.RWMutex
	entries map[string]*Entry
}

// The cache-aside shape: return early on a hit, load on a miss, insert under a second
// section without checking again.
func (c *Cache) Get(k string) (*Entry, error) {
	c.mu.RLock()
	e, ok := c.entries[k]
	c.mu.RUnlock()
	if ok {
		return e, nil
	}
	e, err := load(k)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[k] = e // want "GMF104 check-then-act: insert into c.entries\\[k\\] .* \\(line 18\\): another goroutine can insert or delete the key in between"
	return e, nil
}

// Same, with a string cache where "" means missing, inside a loop.
type Names struct {
	sync.Mutex
	byID map[int]string
}

func name(id int) string { return "x" }

func (n *Names) Fill(ids []int) {
	for _, id := range ids {
		n.Lock()
		s := n.byID[id]
		n.Unlock()
		if s != "" {
			continue
		}
		s = name(id)
		n.Lock()
		n.byID[id] = s // want "GMF104 .*insert into n.byID\\[id\\] under a second n.Lock\\(\\) section"
		n.Unlock()
	}
}

// The check in the initialiser of the early-return if, the read lock released on both
// paths.
func (c *Cache) Lookup(k string) *Entry {
	c.mu.RLock()
	if e, ok := c.entries[k]; ok {
		c.mu.RUnlock()
		return e
	}
	c.mu.RUnlock()
	e, _ := load(k)
	c.mu.Lock()
	c.entries[k] = e // want "GMF104 .*insert into c.entries\\[k\\] under a second c.mu.Lock\\(\\) section .*\\(line 60\\)"
	c.mu.Unlock()
	return e
}
