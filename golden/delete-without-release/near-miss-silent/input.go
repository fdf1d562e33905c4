package sched

import (
	"context"
	"io"
	"os"
	"sync"
	"time"
)

type User struct{ Name string }

type Registry struct {
	mu      sync.Mutex
	users   map[string]*User // pointer values: delete leaves nothing dangling
	seen    map[string]struct{}
	timers  map[string]*time.Timer
	cancels map[string]context.CancelFunc
	files   map[string]*os.File
	bodies  map[string]io.ReadCloser
	tasks   map[int]*task
}

type task struct{ id int }

func (t *task) Cancel() {}

// Plain pointer values: deleting them frees nothing and leaks nothing.
func (r *Registry) RemoveUser(name string) {
	delete(r.users, name)
	delete(r.seen, name)
}

// Stopped first, through a variable loaded from the map.
func (r *Registry) StopTimer(id string) {
	if t, ok := r.timers[id]; ok {
		t.Stop()
	}
	delete(r.timers, id)
}

// Called through the map, then deleted.
func (r *Registry) CancelJob(id string) {
	r.cancels[id]()
	delete(r.cancels, id)
}

// Loaded, deleted, then called after the delete.
func (r *Registry) CancelLater(id string) {
	cancel := r.cancels[id]
	delete(r.cancels, id)
	if cancel != nil {
		cancel()
	}
}

// Handed over to the caller, who owns it now.
func (r *Registry) Take(name string) *os.File {
	f := r.files[name]
	delete(r.files, name)
	return f
}

// Released inside a range over the map.
func (r *Registry) CloseAll() {
	for k, b := range r.bodies {
		b.Close()
		delete(r.bodies, k)
	}
}

// Released by a helper of the package.
func (r *Registry) Evict(name string) {
	r.closeFile(name)
	delete(r.files, name)
}

func (r *Registry) closeFile(name string) {
	if f := r.files[name]; f != nil {
		f.Close()
	}
}

// The value in hand: a task removes itself; its owner cancels it.
func (r *Registry) finished(t *task) {
	r.mu.Lock()
	delete(r.tasks, t.id)
	r.mu.Unlock()
}

// The timer deletes itself from inside its own AfterFunc callback: it has fired.
func (r *Registry) Schedule(id string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.timers[id] = time.AfterFunc(d, func() {
		r.mu.Lock()
		delete(r.timers, id)
		r.mu.Unlock()
	})
}

// A registry: the map is filled with values owned elsewhere (here, the caller's
// connection), so removing an entry is not this map's release to make.
type Hub struct {
	clients map[int]io.Closer
}

func (h *Hub) Add(id int, c io.Closer) { h.clients[id] = c }

func (h *Hub) Remove(id int) { delete(h.clients, id) }

// Generic maps: the value type is a type parameter, nothing to prove.
func Remove[K comparable, V io.Closer](m map[K]V, k K) {
	delete(m, k)
}
