package metrics

import (
	"sort"
	"sync"
	"time"
)

// latest is written by the collector goroutine and read by Snapshot callers.
var latest = map[string]float64{}

// latestMu guards latest.
var latestMu sync.RWMutex

func Start(samples <-chan [2]float64, names []string) {
	go func() {
		for s := range samples {
			latestMu.Lock()
			latest[names[int(s[0])]] = s[1]
			latestMu.Unlock()
		}
	}()
}

func Snapshot() []string {
	var out []string
	latestMu.RLock()
	for name := range latest {
		out = append(out, name)
	}
	latestMu.RUnlock()
	sort.Strings(out)
	return out
}

func Age(since time.Time) time.Duration {
	return time.Since(since)
}
