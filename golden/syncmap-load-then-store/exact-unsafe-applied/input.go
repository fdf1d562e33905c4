package registry

import "sync"

type Conn struct{ Addr string }

func dial(addr string) *Conn { return &Conn{Addr: addr} }

// Two goroutines can both miss and both Store: the first connection is lost while its
// creator keeps using it.
type Pool struct {
	conns sync.Map
}

func (p *Pool) Ensure(addr string) {
	if _, ok := p.conns.Load(addr); !ok { // want "GMF702 p.conns.Load\\(addr\\) then p.conns.Store\\(addr, ...\\) on a miss is not atomic"
		p.conns.Store(addr, dial(addr))
	}
}

var names sync.Map

func Register(id int, name string) {
	if _, loaded := names.Load(id); !loaded { // want "GMF702 names.Load\\(id\\)"
		names.Store(id, name)
	}
}
