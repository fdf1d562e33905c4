package registry

import (
	"sync"
	"testing"
)

func TestConcurrentRegister(t *testing.T) {
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				Register("a", func() string { return "a" })
				Lookup("a")
				Names()
				Register("a", nil)
			}
		}()
	}
	wg.Wait()
}
