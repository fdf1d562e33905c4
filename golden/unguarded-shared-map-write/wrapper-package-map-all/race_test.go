package stats

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

func TestConcurrentHandlers(t *testing.T) {
	mux := http.NewServeMux()
	Register(mux)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				mux.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/record/a", nil))
				mux.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/report", nil))
				mux.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/forget?path=/record/a", nil))
			}
		}()
	}
	wg.Wait()
}
