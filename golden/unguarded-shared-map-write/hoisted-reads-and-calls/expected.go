package memo

import "sync"

type Memo struct {
	mu    sync.Mutex
	cache map[int]int
	calls map[int]int
}

func NewMemo() *Memo {
	return &Memo{cache: map[int]int{}, calls: map[int]int{}}
}

// compute takes the lock itself: it must not run with m.mu held.
func (m *Memo) compute(n int) int {
	m.mu.Lock()
	m.calls[n]++
	m.mu.Unlock()
	return n * n
}

func (m *Memo) Cached(n int) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.cache[n]
	return ok
}

func (m *Memo) Calls(n int) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.calls[n]
}

// Get forgot the lock everywhere.
func (m *Memo) Get(n int) int {
	m.mu.Lock()
	cacheVal, cacheOK := m.cache[n]
	m.mu.Unlock()
	if v, ok := cacheVal, cacheOK; ok {
		return v
	}
	cacheVal2 := m.compute(n)
	m.mu.Lock()
	m.cache[n] = cacheVal2
	cacheVal3 := m.cache[n]
	m.mu.Unlock()
	return cacheVal3
}
