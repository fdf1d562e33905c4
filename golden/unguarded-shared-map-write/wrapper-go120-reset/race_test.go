package jobs

import (
	"sync"
	"testing"
)

func TestConcurrentRuns(t *testing.T) {
	var wg sync.WaitGroup
	for g := 0; g < 3; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				Run([]int{g, g + 10, g + 20}, func(int) bool { return true })
				Done()
			}
		}(g)
	}
	wg.Wait()
	Forget()
}
