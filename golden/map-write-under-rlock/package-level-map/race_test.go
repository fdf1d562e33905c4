package registry

import (
	"sync"
	"testing"
)

func TestConcurrentWrites(t *testing.T) {
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				Register("a", func() {})
				Lookup("a")
				if i%50 == 0 {
					Reset()
				}
			}
		}()
	}
	wg.Wait()
}
