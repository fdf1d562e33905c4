package scores

import (
	"net/http/httptest"
	"sync"
	"testing"
)

func TestConcurrentRequests(t *testing.T) {
	p := NewPlayerServer()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				p.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/pepper", nil))
				p.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/pepper", nil))
			}
		}()
	}
	wg.Wait()
}
