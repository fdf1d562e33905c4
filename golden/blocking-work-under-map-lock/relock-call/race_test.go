package registry

import (
	"testing"
	"time"
)

// Expire must not deadlock: on the input, remove re-locks r.mu while Expire holds it.
func TestExpireDoesNotDeadlock(t *testing.T) {
	r := &Registry{
		members: map[string]int{"a": 1, "b": 2},
		expired: map[string]bool{"a": true},
	}
	done := make(chan struct{})
	go func() {
		r.Expire()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("Expire deadlocked: remove takes r.mu, which Expire holds")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.members["a"]; ok {
		t.Fatal("a was not removed")
	}
}
