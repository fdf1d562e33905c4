package cache

import (
	"strconv"
	"sync"
	"testing"
)

func TestConcurrentTotal(t *testing.T) {
	c := &Cache{items: map[string]int{}}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				c.Put(strconv.Itoa(i%20), i)
				c.Total()
			}
		}()
	}
	wg.Wait()
}
