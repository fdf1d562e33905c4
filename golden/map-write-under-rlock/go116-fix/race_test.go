package cache

import (
	"sync"
	"testing"
)

func TestConcurrentWrites(t *testing.T) {
	c := &Cache{items: map[string]interface{}{"a": 1, "b": 2}}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				c.Get("a")
				c.Evict("b")
			}
		}()
	}
	wg.Wait()
}
