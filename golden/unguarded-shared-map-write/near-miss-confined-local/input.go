package confine

import "sync"

// Sum fills the map before the goroutines start, they only read it, and the
// map is written again only after wg.Wait().
func Sum(keys []string) map[string]int {
	m := map[string]int{}
	for i, k := range keys {
		m[k] = i
	}
	results := make(chan int, len(keys))
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- m[k]
		}()
	}
	wg.Wait()
	close(results)
	for v := range results {
		m["sum"] += v
	}
	return m
}

// Each goroutine owns the map it builds.
func Each(n int, out chan<- map[int]int) {
	for i := 0; i < n; i++ {
		go func() {
			local := map[int]int{}
			local[i] = i * i
			out <- local
		}()
	}
}

// Compute waits for the goroutine before reading what it wrote.
func Compute() map[string]int {
	m := map[string]int{}
	done := make(chan struct{})
	go func() {
		m["a"] = 1
		close(done)
	}()
	<-done
	m["b"] = 2
	return m
}
