package users

import (
	"strconv"
	"sync"
	"testing"
)

func TestConcurrentNameOf(t *testing.T) {
	d := &Directory{byName: map[string]int{}}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				d.Add(strconv.Itoa(i%20), i%20)
				d.NameOf(i % 20)
				d.NameOf(-1)
			}
		}()
	}
	wg.Wait()
}
