package pool

import (
	"context"
	"sync"
)

// Jobs keeps the cancel function of each running job.
type Jobs struct {
	mu      sync.Mutex
	cancels map[string]context.CancelFunc
}

// Start runs a job that Drop can cancel.
func (j *Jobs) Start(id string, run func(context.Context)) {
	ctx, cancel := context.WithCancel(context.Background())
	j.mu.Lock()
	j.cancels[id] = cancel
	j.mu.Unlock()
	go run(ctx)
}

// Drop holds the lock until the function returns (deferred Unlock): calling
// cancel right at the delete would run it inside the critical section.
func (j *Jobs) Drop(id string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	delete(j.cancels, id) // want "GMF401 .*context.CancelFunc.*no fix: j.mu is unlocked by a deferred call"
}

// dropLocked runs under the caller's lock.
func (j *Jobs) dropLocked(id string) {
	delete(j.cancels, id) // want "GMF401 .*no fix: this function runs under its caller's lock"
}

// DropEarly unlocks on two paths.
func (j *Jobs) DropEarly(id string, quick bool) {
	j.mu.Lock()
	if quick {
		delete(j.cancels, id) // want "GMF401 .*no fix: j.mu is unlocked on several paths"
		j.mu.Unlock()
		return
	}
	j.mu.Unlock()
}

// DropAll returns between the delete and the Unlock.
func (j *Jobs) DropAll(ids []string) int {
	j.mu.Lock()
	n := 0
	for _, id := range ids {
		if id == "" {
			j.mu.Unlock()
			return n
		}
		delete(j.cancels, id) // want "GMF401 .*no fix: j.mu is unlocked on several paths"
		n++
	}
	j.mu.Unlock()
	return n
}
