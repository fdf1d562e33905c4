package sessions

import (
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestConcurrentExpire(t *testing.T) {
	s := &Sessions{expires: map[string]time.Time{}}
	now := time.Now()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				s.Touch(strconv.Itoa(i%10), now.Add(-time.Hour))
				s.Expire(now)
			}
		}()
	}
	wg.Wait()
}
