package limiter

import "sync"

// Limiter works on any Go version: the guard fix only needs sync.Mutex.
type Limiter struct {
	mu     sync.Mutex
	counts map[string]int
}

func (l *Limiter) Allow(k string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.counts[k] < 10
}

func (l *Limiter) Hit(k string) {
	l.counts[k]++ // want "GMF101 increment of an entry of l.counts: l.mu, which guards it elsewhere"
}
