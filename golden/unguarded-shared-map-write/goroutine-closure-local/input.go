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
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sizes[u] = lengths(strings.Split(u, "/")) // want "GMF101 write to sizes: sizes is used by a goroutine started in a loop"
		}()
	}
	wg.Wait()
	return sizes
}
