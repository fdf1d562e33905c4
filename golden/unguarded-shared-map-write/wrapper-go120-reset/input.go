package jobs

import "sync"

// state maps job IDs to their state; workers update it from their goroutines.
var state = map[int]string{}

// Run runs one worker per job and waits for them.
func Run(ids []int, work func(int) bool) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			state[id] = "running" // want "GMF101 write to state: .*goroutine"
			if state[id] == "running" && work(id) {
				state[id] = "done" // want "GMF101 write to state: .*goroutine"
			}
		}(id)
	}
	wg.Wait()
}

// Done counts finished jobs.
func Done() int {
	n := 0
	for _, s := range state {
		if s == "done" {
			n++
		}
	}
	return n
}

// Forget drops every job.
func Forget() {
	state = make(map[int]string)
}
