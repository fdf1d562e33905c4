package fetch

import (
	"strings"
	"sync"
)

func lengths(words []string) int { return len(words) }

// Sizes computes a size per URL concurrently; every goroutine writes the same
// map.
func Sizes(urls []string) map[string]int {
	sizes := make(map[string]int, len(urls))
	var sizesMu sync.Mutex
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sizesVal := lengths(strings.Split(u, "/"))
			sizesMu.Lock()
			sizes[u] = sizesVal
			sizesMu.Unlock()
		}()
	}
	wg.Wait()
	return sizes
}
