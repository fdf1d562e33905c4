package counter

import (
	"sync"
	"testing"
)

func TestConcurrentWrites(t *testing.T) {
	c := &Counter{hits: map[string]int{}}
	r := &Registry{names: map[int]string{}}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				c.Hit("home")
				r.Rename(i%3, "x")
				r.Name(i % 3)
			}
		}()
	}
	wg.Wait()
}
