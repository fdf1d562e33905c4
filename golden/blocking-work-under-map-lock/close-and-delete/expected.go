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
	victims := make([]net.Conn, 0, len(p.conns))
	for id, c := range p.conns {
		victims = append(victims, c)
		delete(p.conns, id)
	}
	p.mu.Unlock()
	for _, c := range victims {
		c.Close()
	}
}

// Announce tells listeners about every peer; the send blocks with the lock held.
func (p *Pool) Announce() {
	p.mu.Lock()
	n := len(p.conns)
	keys := make([]string, 0, len(p.conns))
	for id := range p.conns {
		keys = append(keys, id)
	}
	p.conns = make(map[string]net.Conn, n)
	p.mu.Unlock()
	for _, id := range keys {
		p.events <- id
	}
}
