package shop

import "sync"

// pending holds orders waiting to be shipped, shared by worker goroutines.
var pending sync.Map

// Ship ships an order once. Load then Delete is not atomic: two workers can
// both load the same order and both ship it.
func Ship(id string, send func(string)) {
	if order, ok := pending.Load(id); ok {
		send(order.(string))
		pending.Delete(id)
	}
}
