package shop

import "sync"

// prices caches computed prices per SKU; many goroutines read and fill it.
var prices sync.Map

func computePrice(sku string) int { return 100 * len(sku) }

// Price fills the cache on a miss, but two goroutines can both miss and both store.
func Price(sku string) int {
	if _, ok := prices.Load(sku); !ok {
		prices.Store(sku, computePrice(sku))
	}
	v, _ := prices.Load(sku)
	n, _ := v.(int)
	return n
}

// views counts page views per SKU: a Load then a Store of the incremented count loses
// updates when two requests come in at once.
var views sync.Map

// View records one page view.
func View(sku string) {
	v, _ := views.Load(sku)
	n, _ := v.(int)
	views.Store(sku, n+1)
}

// reviews holds each SKU's review texts.
var reviews sync.Map

// AddReview appends a review without a lock, retrying on conflict. CompareAndSwap
// compares the stored []string values, which are not comparable: it panics.
func AddReview(sku, text string) {
	for {
		old, loaded := reviews.LoadOrStore(sku, []string{text})
		if !loaded {
			return
		}
		list := old.([]string)
		next := append(list[:len(list):len(list)], text)
		if reviews.CompareAndSwap(sku, old, next) {
			return
		}
	}
}
