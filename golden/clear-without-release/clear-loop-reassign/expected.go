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
	for _, conn := range p.conns {
		conn.Close()
	}
	clear(p.conns)
}

// Forget deletes every file key by key: none is closed.
func (p *Pool) Forget() {
	for _, file := range p.files {
		file.Close()
	}
	for name := range p.files {
		delete(p.files, name)
	}
}

// StopWatching replaces the map: the old watchers are never cancelled.
func (p *Pool) StopWatching() {
	for _, cancel := range p.watchers {
		cancel()
	}
	p.watchers = make(map[string]context.CancelFunc)
}

// Close replaces the map with an empty literal.
func (p *Pool) Close() {
	for _, conn := range p.conns {
		conn.Close()
	}
	p.conns = map[string]net.Conn{}
}
