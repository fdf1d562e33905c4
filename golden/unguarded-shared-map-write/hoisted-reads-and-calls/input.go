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
	if v, ok := m.cache[n]; ok {
		return v
	}
	m.cache[n] = m.compute(n) // want "GMF101 write to m.cache: m.mu, which guards it elsewhere, is not held"
	return m.cache[n]
}
