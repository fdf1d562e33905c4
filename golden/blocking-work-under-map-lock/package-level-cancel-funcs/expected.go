package jobs

import (
	"context"
	"sync"
)

var (
	mu      sync.Mutex
	running = map[int]func(){}
)

// Start runs fn until StopAll. The cancel function registered for a job also
// waits for the job to return, and a job may call Start itself.
func Start(id int, fn func(context.Context)) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	mu.Lock()
	running[id] = func() {
		cancel()
		<-done
	}
	mu.Unlock()
	go func() {
		defer close(done)
		fn(ctx)
	}()
}

// StopAll cancels every job under the package lock: a job that needs mu to
// finish never lets its cancel function return.
func StopAll() {
	mu.Lock()
	victims := make([]func(), 0, len(running))
	for id, cancel := range running {
		victims = append(victims, cancel)
		delete(running, id)
	}
	mu.Unlock()
	for _, cancel := range victims {
		cancel()
	}
}
