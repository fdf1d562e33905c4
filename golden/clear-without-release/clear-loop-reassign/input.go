package pool

import (
	"context"
	"net"
	"os"
)

// Pool keeps connections, open files and the cancel functions of watchers.
type Pool struct {
	conns    map[string]net.Conn
	files    map[string]*os.File
	watchers map[string]context.CancelFunc
}

func NewPool() *Pool {
	return &Pool{
		conns:    make(map[string]net.Conn),
		files:    make(map[string]*os.File),
		watchers: map[string]context.CancelFunc{},
	}
}

func (p *Pool) Dial(name, addr string) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	p.conns[name] = c
	return nil
}

func (p *Pool) Open(name string) (err error) {
	p.files[name], err = os.Open(name)
	return err
}

func (p *Pool) Watch(name string, watch func(context.Context)) {
	ctx, cancel := context.WithCancel(context.Background())
	p.watchers[name] = cancel
	go watch(ctx)
}

// Reset empties the pool: every connection stays open.
func (p *Pool) Reset() {
	clear(p.conns) // want "GMF402 clear\\(p.conns\\) drops every net.Conn in the map without closing it.*call Close on each first"
}

// Forget deletes every file key by key: none is closed.
func (p *Pool) Forget() {
	for name := range p.files { // want "GMF402 the loop deleting every key of p.files drops every \\*os.File"
		delete(p.files, name)
	}
}

// StopWatching replaces the map: the old watchers are never cancelled.
func (p *Pool) StopWatching() {
	p.watchers = make(map[string]context.CancelFunc) // want "GMF402 p.watchers = make\\(...\\) drops every context.CancelFunc .*call each one first"
}

// Close replaces the map with an empty literal.
func (p *Pool) Close() {
	p.conns = map[string]net.Conn{} // want "GMF402 p.conns = map\\[string\\]net.Conn{...} drops every net.Conn"
}
