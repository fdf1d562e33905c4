package flags

import "sync"

type Flags struct {
	mu  sync.RWMutex
	set map[string]bool
}

func (f *Flags) Enable(name string) {
	f.mu.Lock()
	f.set[name] = true
	f.mu.Unlock()
}

func (f *Flags) Enabled() []string {
	var names []string
	for name, on := range f.set { // want "GMF103 range over f.set"
		if on {
			names = append(names, name)
		}
	}
	return names
}
