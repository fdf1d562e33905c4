package pool

import (
	"os"
	"sync"
)

// Files keeps open files by name; many goroutines use it.
type Files struct {
	mu    sync.Mutex
	open  map[string]*os.File
	other map[string]*os.File
}

// Open opens a file and keeps it.
func (f *Files) Open(name string) error {
	fh, err := os.Open(name)
	if err != nil {
		return err
	}
	f.mu.Lock()
	f.open[name] = fh
	f.mu.Unlock()
	return nil
}

// Evict drops one file under the lock: the release must come after Unlock,
// a Close that blocks inside the critical section stalls every user.
func (f *Files) Evict(name string) {
	f.mu.Lock()
	delete(f.open, name) // want "GMF401 delete\\(f.open, name\\) drops a \\*os.File without closing it"
	f.mu.Unlock()
}

// EvictIf drops the file only on one branch.
func (f *Files) EvictIf(name string, really bool) {
	f.mu.Lock()
	if really {
		delete(f.open, name) // want "GMF401 .*\\*os.File"
	}
	f.mu.Unlock() // unlocked
}

// EvictAll drops several files in a loop: they are collected, then closed.
func (f *Files) EvictAll(names []string) {
	f.mu.Lock()
	n := len(f.open)
	for _, name := range names {
		delete(f.open, name) // want "GMF401 .*\\*os.File"
	}
	f.mu.Unlock()
	_ = n
}
