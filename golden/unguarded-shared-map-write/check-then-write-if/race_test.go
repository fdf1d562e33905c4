package registry

import (
	"sync"
	"testing"
)

func TestConcurrentEnsure(t *testing.T) {
	r := NewRegistry()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				if e := r.Ensure("a"); e == nil || e.Name != "a" {
					t.Error("lost entry")
				}
				r.Remove("a")
			}
		}()
	}
	wg.Wait()
}
