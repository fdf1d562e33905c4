package jobs

import "sync"

// state maps job IDs to their state; workers update it from their goroutines.
var state MapWrapper[int, string]

// Run runs one worker per job and waits for them.
func Run(ids []int, work func(int) bool) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			state.Store(id, "running")
			stateVal, _ := state.Load(id)
			if stateVal == "running" && work(id) {
				state.Store(id, "done")
			}
		}(id)
	}
	wg.Wait()
}

// Done counts finished jobs.
func Done() int {
	n := 0
	state.Range(func(_ int, s string) bool {
		if s == "done" {
			n++
		}
		return true
	})
	return n
}

// Forget drops every job.
func Forget() {
	state.Reset()
}
