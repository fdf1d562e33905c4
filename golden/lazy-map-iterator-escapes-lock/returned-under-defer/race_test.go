package registry

import (
	"runtime"
	"strconv"
	"testing"
)

func TestNamesWhileAdding(t *testing.T) {
	r := New()
	for i := 0; i < 50; i++ {
		r.Add(strconv.Itoa(i), i)
	}
	started := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 20000; i++ {
			r.Add(strconv.Itoa(i%100), i)
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
		for name := range r.Names() {
			_ = name
		}
	}
}
