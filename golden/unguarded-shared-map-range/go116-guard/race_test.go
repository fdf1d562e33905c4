package flags

import (
	"strconv"
	"sync"
	"testing"
)

func TestConcurrentEnabled(t *testing.T) {
	f := &Flags{set: map[string]bool{}}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				f.Enable(strconv.Itoa(i % 20))
				f.Enabled()
			}
		}()
	}
	wg.Wait()
}
