package metrics

import (
	"sort"
	"time"
)

// latest is written by the collector goroutine and read by Snapshot callers.
var latest = map[string]float64{}

func Start(samples <-chan [2]float64, names []string) {
	go func() {
		for s := range samples {
			latest[names[int(s[0])]] = s[1]
		}
	}()
}

func Snapshot() []string {
	var out []string
	for name := range latest { // want "GMF103 range over latest: the goroutine literal in Start runs in its own goroutine"
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

func Age(since time.Time) time.Duration {
	return time.Since(since)
}
