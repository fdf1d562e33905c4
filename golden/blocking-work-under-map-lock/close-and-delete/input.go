package pool

import (
	"net"
	"sync"
)

// Pool keeps open connections by peer id.
type Pool struct {
	mu     sync.Mutex
	conns  map[string]net.Conn
	events chan string
}

// CloseAll closes every connection while holding the pool's lock: a slow Close
// stalls every Get and Put.
func (p *Pool) CloseAll() {
	p.mu.Lock()
	for id, c := range p.conns { // want "GMF302 blocking work while ranging over p.conns with p.mu.Lock\\(\\) held: c.Close\\(\\) may block"
		c.Close()
		delete(p.conns, id)
	}
	p.mu.Unlock()
}

// Announce tells listeners about every peer; the send blocks with the lock held.
func (p *Pool) Announce() {
	p.mu.Lock()
	n := len(p.conns)
	for id := range p.conns { // want "GMF302 .*channel send on p.events blocks"
		p.events <- id
	}
	p.conns = make(map[string]net.Conn, n)
	p.mu.Unlock()
}
