package notify

import "sync"

type Hub struct {
	mu   sync.Mutex
	subs map[string]func(string)
}

func (h *Hub) Subscribe(name string, f func(string)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.subs[name] = f
}

func (h *Hub) unsubscribe(name string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.subs, name)
}

// Broadcast ranges without the lock, and its body calls unsubscribe, which
// takes it: holding h.mu across the loop would deadlock, so there is no fix.
func (h *Hub) Broadcast(msg string) {
	for name, f := range h.subs { // want "GMF103 range over h.subs.*no fix: the loop at input.go:25 calls code that would block on the lock: h.unsubscribe takes h.mu"
		if f == nil {
			h.unsubscribe(name)
			continue
		}
		f(msg)
	}
}
