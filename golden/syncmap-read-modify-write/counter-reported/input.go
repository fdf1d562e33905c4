package stats

import "sync"

var hits sync.Map

// Two goroutines load the same count, both add one, both store: one hit is lost.
func Hit(page string) {
	v, _ := hits.Load(page) // want "GMF703 hits.Load\\(page\\) then hits.Store\\(page, ...\\) of a value computed from it is not atomic"
	hits.Store(page, add(v, 1))
}

func add(v any, n int) int {
	c, _ := v.(int)
	return c + n
}

type Totals struct {
	sums sync.Map
}

// The stored value is derived through another variable.
func (t *Totals) Add(key string, amount float64) {
	old, ok := t.sums.Load(key) // want "GMF703 t.sums.Load\\(key\\) then t.sums.Store"
	sum := 0.0
	if ok {
		sum = old.(float64)
	}
	t.sums.Store(key, sum+amount)
}

// Inside the if that checks the load.
func Append(lists *sync.Map, key, item string) {
	if v, ok := lists.Load(key); ok { // want "GMF703 lists.Load\\(key\\) then lists.Swap"
		lists.Swap(key, append(v.([]string), item))
	} else {
		lists.Store(key, []string{item})
	}
}
