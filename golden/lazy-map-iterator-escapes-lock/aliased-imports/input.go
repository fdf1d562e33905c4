package peers

import (
	"iter"
	stdmaps "maps"
	xslices "slices"
	"sync"
)

type Peers struct {
	mu    sync.Mutex
	addrs map[string]string
}

// Addrs uses renamed imports: the fix must use them.
func (p *Peers) Addrs() iter.Seq[string] {
	p.mu.Lock()
	defer p.mu.Unlock()
	return stdmaps.Values(p.addrs) // want "GMF303 stdmaps.Values\\(p.addrs\\) is a lazy iterator"
}

func (p *Peers) Sorted() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return xslices.Sorted(stdmaps.Keys(p.addrs))
}
