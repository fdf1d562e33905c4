package cache

import (
	"sync"
	"testing"
)

func TestConcurrentPutGet(t *testing.T) {
	c := New()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				c.Put("a", "b")
				c.Get("a")
			}
		}()
	}
	wg.Wait()
}
