package sched

import (
	"sync"
	"time"
)

// Timers schedules callbacks; Reset must not call Stop under the lock.
type Timers struct {
	mu     sync.Mutex
	timers map[string]*time.Timer
}

func (t *Timers) After(id string, d time.Duration, f func()) {
	t.mu.Lock()
	t.timers[id] = time.AfterFunc(d, f)
	t.mu.Unlock()
}

// Reset drops every timer under the lock: the callbacks still fire.
func (t *Timers) Reset() {
	t.mu.Lock()
	clear(t.timers) // want "GMF402 clear\\(t.timers\\) drops every \\*time.Timer .*call Stop on each first"
	t.mu.Unlock()
}

// ResetIf drops them on one branch only.
func (t *Timers) ResetIf(really bool) {
	t.mu.Lock()
	if really {
		t.timers = map[string]*time.Timer{} // want "GMF402 t.timers = map.*\\*time.Timer"
	}
	t.mu.Unlock()
}
