package memo

import (
	"sync"
	"testing"
)

func TestConcurrentGet(t *testing.T) {
	m := NewMemo()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				if m.Get(i%7) != (i%7)*(i%7) {
					t.Error("wrong value")
				}
				m.Calls(i % 7)
				m.Cached(i % 7)
			}
		}()
	}
	wg.Wait()
}
