package cache

import "sync"

type LRU[K comparable, V any] struct {
	mu    sync.Mutex
	items map[K]V
}

func (l *LRU[K, V]) Purge() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.items = make(map[K]V)
}

// The receiver renames the type parameters: map[K]V would not compile here.
func (l *LRU[A, B]) Flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	clear(l.items)
}
