package stats

import "sync"

var hits sync.Map

// go 1.19: no CompareAndSwap, the message says to use a mutex.
func Hit(page string) {
	v, _ := hits.Load(page) // want "GMF703 hits.Load\\(page\\) .*CompareAndSwap needs go 1.20: use a mutex"
	n, _ := v.(int)
	hits.Store(page, n+1)
}
