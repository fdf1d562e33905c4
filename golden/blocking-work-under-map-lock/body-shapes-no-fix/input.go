package watch

import (
	"log"
	"sync"
	"time"
)

// worker runs until Stop, which waits for its goroutine to return.
type worker struct {
	quit chan struct{}
	done chan struct{}
	last time.Time
}

func (w *worker) Stop() {
	close(w.quit)
	<-w.done
}

type Watcher struct {
	mu     sync.Mutex
	timers map[string]*worker
	subs   map[string]chan<- string
}

// Idle stops only some timers: the work is inside a branch.
func (w *Watcher) Idle(keep string) {
	w.mu.Lock()
	for name, t := range w.timers { // want "GMF302 .*t.Stop\\(\\) may block.*no automatic fix: the loop body does more than act on each entry and delete it"
		if name != keep {
			t.Stop()
			delete(w.timers, name)
		}
	}
	w.mu.Unlock()
}

// Broadcast needs both the key and the value after the unlock.
func (w *Watcher) Broadcast(msg string) {
	w.mu.Lock()
	for name, ch := range w.subs { // want "GMF302 .*channel send on ch.*no automatic fix: the work uses both the key and the value"
		ch <- name + ": " + msg
	}
	w.mu.Unlock()
}

// StopAll has a comment on the line of the moved call.
func (w *Watcher) StopAll() {
	w.mu.Lock()
	for _, t := range w.timers { // want "GMF302 .*no automatic fix: a moved statement shares its line with other code or a comment"
		t.Stop() // the callback may still run
	}
	w.mu.Unlock()
}

// Logged keeps a counter the moved work would lose.
func (w *Watcher) Logged() {
	w.mu.Lock()
	n := 0
	for _, t := range w.timers { // want "GMF302 .*no automatic fix: the loop body does more than act on each entry and delete it"
		t.Stop()
		n++
	}
	w.mu.Unlock()
	log.Printf("stopped %d timers", n)
}

// Early unlocks on one path and again at the end: not one Unlock after the loop.
func (w *Watcher) Early(skip bool) {
	w.mu.Lock()
	if skip {
		w.mu.Unlock()
		return
	}
	for _, t := range w.timers { // want "GMF302 .*no automatic fix: w.mu is not released by one Unlock\\(\\) right after the loop"
		t.Stop()
	}
	w.mu.Unlock()
}
