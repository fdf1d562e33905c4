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
	var staleTimers []*time.Timer
	for _, timer := range t.timers {
		staleTimers = append(staleTimers, timer)
	}
	clear(t.timers)
	t.mu.Unlock()
	for _, timer := range staleTimers {
		timer.Stop()
	}
}

// ResetIf drops them on one branch only.
func (t *Timers) ResetIf(really bool) {
	t.mu.Lock()
	var staleTimers []*time.Timer
	if really {
		for _, timer := range t.timers {
			staleTimers = append(staleTimers, timer)
		}
		t.timers = map[string]*time.Timer{}
	}
	t.mu.Unlock()
	for _, timer := range staleTimers {
		timer.Stop()
	}
}
