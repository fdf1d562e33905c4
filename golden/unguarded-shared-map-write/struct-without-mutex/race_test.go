package server

import "testing"

func TestGetWhileUpdating(t *testing.T) {
	s := NewServer()
	s.Start()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 300; i++ {
			s.Get("a")
		}
	}()
	for i := 0; i < 300; i++ {
		s.events <- [2]string{"a", "b"}
	}
	<-done
}
