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
	file := f.open[name]
	delete(f.open, name)
	f.mu.Unlock()
	if file != nil {
		file.Close()
	}
}

// EvictIf drops the file only on one branch.
func (f *Files) EvictIf(name string, really bool) {
	f.mu.Lock()
	var file *os.File
	if really {
		file = f.open[name]
		delete(f.open, name)
	}
	f.mu.Unlock() // unlocked
	if file != nil {
		file.Close()
	}
}

// EvictAll drops several files in a loop: they are collected, then closed.
func (f *Files) EvictAll(names []string) {
	f.mu.Lock()
	n := len(f.open)
	var files []*os.File
	for _, name := range names {
		if file, ok := f.open[name]; ok {
			files = append(files, file)
			delete(f.open, name)
		}
	}
	f.mu.Unlock()
	for _, file := range files {
		file.Close()
	}
	_ = n
}
