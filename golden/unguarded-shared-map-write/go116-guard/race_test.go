package limiter

import (
	"sync"
	"testing"
)

func TestConcurrentHits(t *testing.T) {
	l := &Limiter{counts: map[string]int{}}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				l.Hit("a")
				l.Allow("a")
			}
		}()
	}
	wg.Wait()
}
