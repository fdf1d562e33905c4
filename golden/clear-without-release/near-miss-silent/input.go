package pool

import (
	"context"
	"net"
	"sync"
	"time"
)

type User struct{ Name string }

type Pool struct {
	mu      sync.Mutex
	users   map[string]*User // pointer values: clear leaves nothing dangling
	conns   map[string]net.Conn
	cancels map[string]context.CancelFunc
	timers  map[string]*time.Timer
}

// A constructor: the map is new.
func NewPool() *Pool {
	p := &Pool{}
	p.conns = make(map[string]net.Conn)
	p.cancels = make(map[string]context.CancelFunc)
	return p
}

// Plain pointer values: clearing them is fine.
func (p *Pool) ResetUsers() {
	clear(p.users)
	p.users = make(map[string]*User)
}

// Lazy initialisation under a nil guard.
func (p *Pool) Add(name string, c net.Conn) {
	if p.conns == nil {
		p.conns = make(map[string]net.Conn)
	}
	p.conns[name] = c
}

// Released first, then cleared.
func (p *Pool) Close() {
	for _, c := range p.conns {
		c.Close()
	}
	clear(p.conns)
	for _, cancel := range p.cancels {
		cancel()
	}
	p.cancels = nil
}

// The old map is handed over before being replaced.
func (p *Pool) Swap() map[string]*time.Timer {
	old := p.timers
	p.timers = make(map[string]*time.Timer)
	return old
}

// Released by a helper that ranges over the same field.
func (p *Pool) Reset() {
	p.stopAll()
	clear(p.timers)
}

func (p *Pool) stopAll() {
	for _, t := range p.timers {
		t.Stop()
	}
}

// A function that only starts: it sets the map, nothing was in it.
func (p *Pool) Serve() {
	p.timers = map[string]*time.Timer{}
}

// Collected under the lock and released after it.
func (p *Pool) Drain() {
	p.mu.Lock()
	var conns []net.Conn
	for _, c := range p.conns {
		conns = append(conns, c)
	}
	clear(p.conns)
	p.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
}

// Rebuild keeps one connection: it is carried over into the new map.
func (p *Pool) Rebuild(keep string) {
	c := p.conns[keep]
	p.conns = make(map[string]net.Conn)
	p.conns[keep] = c
}

// Prune carries survivors over in a new literal.
func (p *Pool) Prune(keep string) {
	p.conns = map[string]net.Conn{keep: p.conns[keep]}
}
