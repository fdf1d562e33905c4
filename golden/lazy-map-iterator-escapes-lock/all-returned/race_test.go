package config

import (
	"runtime"
	"strconv"
	"testing"
)

func TestAllWhileSetting(t *testing.T) {
	s := New()
	for i := 0; i < 50; i++ {
		s.Set(strconv.Itoa(i), "x")
	}
	started := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 20000; i++ {
			s.Set(strconv.Itoa(i%100), "y")
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
		for k, v := range s.All() {
			_, _ = k, v
		}
	}
}
