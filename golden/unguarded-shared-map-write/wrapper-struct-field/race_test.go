package cache

import (
	"strconv"
	"sync"
	"testing"
)

func TestConcurrentUse(t *testing.T) {
	c := New("test")
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				k := strconv.Itoa(i % 10)
				c.Put(k, i)
				c.Get(k)
				c.Keys(5)
				c.Size()
				if i%3 == g {
					c.Drop(k)
				}
			}
		}(g)
	}
	wg.Wait()
}
