package pool

import "sync"

type Conn struct{ id int }

type Pool struct {
	mu   sync.Mutex
	idle map[int]*Conn
}

func (p *Pool) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.idle)
}

// putLocked runs with p.mu held (by its name): Len locks it again.
func (p *Pool) putLocked(c *Conn) {
	if p.Len() > 10 { // want "GMF105 p.Len\\(\\) takes p.mu.Lock\\(\\), but putLocked runs with p.mu already held by its caller \\(its name says so\\)"
		return
	}
	p.idle[c.id] = c
}

// evict drops one idle connection. The caller must hold p.mu.
func (p *Pool) evict(id int) {
	delete(p.idle, id)
	_ = p.Len() // want "GMF105 p.Len\\(\\) takes p.mu.Lock\\(\\), but evict runs with p.mu already held by its caller \\(its doc comment says so\\)"
}

func (p *Pool) Put(c *Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.putLocked(c)
	p.evict(0)
}
