package stats

import (
	"runtime"
	"strconv"
	"testing"
)

func TestTotalWhileIncrementing(t *testing.T) {
	s := New()
	for i := 0; i < 50; i++ {
		s.Inc(strconv.Itoa(i))
	}
	started := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 20000; i++ {
			s.Inc(strconv.Itoa(i % 100))
			if i == 0 {
				close(started)
			}
			runtime.Gosched()
		}
	}()
	<-started
	for {
		select {
		case <-done:
			return
		default:
		}
		_ = s.Total()
	}
}
