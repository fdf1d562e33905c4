package sessions

import (
	"sync"
	"testing"
)

func TestConcurrentWrites(t *testing.T) {
	s := &Store{sessions: map[string]int{"a": 0, "b": 0}}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				s.Touch("a")
				s.Touch("zz")
				s.Expire("b", (i+g)%3)
			}
		}(g)
	}
	wg.Wait()
}
