package shop

import (
	"net/http/httptest"
	"sync"
	"testing"
)

// Fails under `go test -race` until the GMF101 fixes are applied
// (`gomapfix fix --unsafe-fixes`).
func TestSessionsConcurrently(t *testing.T) {
	s := NewSessions()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				s.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/login?token=t&user=u", nil))
				s.User("t")
			}
		}()
	}
	wg.Wait()
}
