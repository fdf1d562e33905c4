package stats

import (
	"maps"
	"sync"
)

type Stats struct {
	mu     sync.Mutex
	counts map[string]int
}

func New() *Stats { return &Stats{counts: make(map[string]int)} }

func (s *Stats) Inc(k string) {
	s.mu.Lock()
	s.counts[k]++
	s.mu.Unlock()
}

// Total takes the iterator under the lock but consumes it after Unlock.
func (s *Stats) Total() int {
	s.mu.Lock()
	vals := maps.Values(s.counts) // want "GMF303 maps.Values\\(s.counts\\) is a lazy iterator.*vals is used after s.mu.Unlock\\(\\)"
	s.mu.Unlock()
	total := 0
	for v := range vals {
		total += v
	}
	return total
}
