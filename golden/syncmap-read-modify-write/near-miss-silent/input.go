package stats

import "sync"

var (
	mu   sync.Mutex
	hits sync.Map
)

// Serialised by a mutex: the read-modify-write is protected.
func Locked(page string) {
	mu.Lock()
	defer mu.Unlock()
	v, _ := hits.Load(page)
	n, _ := v.(int)
	hits.Store(page, n+1)
}

// The stored value does not depend on the loaded one.
func Reset(page string) {
	v, ok := hits.Load(page)
	if ok && v.(int) > 100 {
		hits.Store(page, 0)
	}
}

// Another key.
func Move(from, to string) {
	v, _ := hits.Load(from)
	hits.Store(to, v)
}

// Already a CompareAndSwap loop.
func CAS(page string) {
	for {
		v, _ := hits.Load(page)
		n, _ := v.(int)
		if hits.CompareAndSwap(page, v, n+1) {
			return
		}
	}
}

// Storing back the loaded value unchanged.
func Touch(page string) {
	if v, ok := hits.Load(page); ok {
		hits.Store(page, v)
	}
}

// The key changes in between.
func Next(page string) {
	v, _ := hits.Load(page)
	page = page + "/next"
	hits.Store(page, v.(int)+1)
}
