package pool

import (
	"sync"
	"testing"
)

func TestConcurrentWrites(t *testing.T) {
	p := &Pool{conns: map[int]string{}, onClose: func(string) {}}
	for i := 0; i < 50; i++ {
		p.conns[i] = "c"
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				p.Close(i)
				p.Len()
			}
		}()
	}
	wg.Wait()
}
