package bus

import "sync"

// Bus calls subscribers with the lock held; a subscriber that unsubscribes (or
// publishes) from its callback deadlocks on b.mu.
type Bus[E any] struct {
	mu   sync.Mutex
	subs map[int]func(E)
	next int
}

func (b *Bus[E]) Subscribe(fn func(E)) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.next++
	b.subs[b.next] = fn
	return b.next
}

func (b *Bus[E]) Publish(ev E) {
	b.mu.Lock()
	victims := make([]func(E), 0, len(b.subs))
	for _, fn := range b.subs {
		victims = append(victims, fn)
	}
	b.mu.Unlock()
	for _, fn := range victims {
		fn(ev)
	}
}
