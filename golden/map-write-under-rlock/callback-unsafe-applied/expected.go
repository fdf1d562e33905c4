package pool

import "sync"

// The section calls a function value: gomapfix cannot see whether it takes p.mu
// (it would deadlock under Lock), so the fix is unsafe. Here the callback does not
// touch the pool, and --unsafe-fixes applies the rewrite.
type Pool struct {
	mu      sync.RWMutex
	conns   map[int]string
	onClose func(string)
}

func (p *Pool) Close(id int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.conns[id]; ok {
		p.onClose(c)
		delete(p.conns, id)
	}
}

func (p *Pool) Len() int {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return len(p.conns)
}
