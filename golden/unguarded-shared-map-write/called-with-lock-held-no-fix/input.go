package pool

import "sync"

type Pool struct {
	mu   sync.Mutex
	idle map[string]int
}

func (p *Pool) Get(k string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.idle[k]
}

// Put forgets the mutex, and Refill calls it while holding that mutex: locking inside
// Put would deadlock Refill, so there is no automatic fix.
func (p *Pool) Put(k string, n int) {
	p.idle[k] = n // want "GMF101 write to p.idle: p.mu, which guards it elsewhere, is not held.*no fix: Put is also called with a lock held"
}

func (p *Pool) Refill(keys []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, k := range keys {
		p.Put(k, 1)
	}
}
