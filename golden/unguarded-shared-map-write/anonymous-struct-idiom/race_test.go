package counter

import (
	"sync"
	"testing"
)

func TestConcurrentIncr(t *testing.T) {
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				Incr("a")
				Get("a")
			}
		}()
	}
	wg.Wait()
}
