package cache

import "sync"

type Entry struct {
	Value []byte
}

// Cache is emptied on every deploy; after a traffic peak it would keep the peak's
// memory forever if it were only cleared.
type Cache struct {
	mu      sync.Mutex
	entries map[string]*Entry
}

func New() *Cache {
	return &Cache{entries: make(map[string]*Entry)}
}

func (c *Cache) Put(k string, e *Entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[k] = e
}

func (c *Cache) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.entries) // want "GMF601 clear\\(c.entries\\) empties c.entries but keeps all its memory"
}

var (
	sessionsMu sync.Mutex
	sessions   = map[string]int{}
)

func Login(user string) {
	sessionsMu.Lock()
	sessions[user]++
	sessionsMu.Unlock()
}

func LogoutAll() {
	sessionsMu.Lock()
	for user := range sessions { // want "GMF601 deleting every key of sessions keeps all its memory"
		delete(sessions, user)
	}
	sessionsMu.Unlock()
}

// A loop that waits for events empties the map periodically: that is a purge, and the
// map keeps the memory of its largest period.
func (c *Cache) Janitor(tick <-chan struct{}) {
	for range tick {
		c.mu.Lock()
		clear(c.entries) // want "GMF601 clear\\(c.entries\\)"
		c.mu.Unlock()
	}
}
