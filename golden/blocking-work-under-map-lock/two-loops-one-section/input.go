package hub

import "sync"

type client struct {
	send chan []byte
}

func (c *client) Close() error {
	close(c.send)
	return nil
}

// Hub fans messages out to clients.
type Hub struct {
	mu      sync.Mutex
	clients map[string]*client
	left    chan string
}

// Shutdown closes every client, then announces who left, all under h.mu: a
// full left channel blocks every Join until someone reads it.
func (h *Hub) Shutdown() {
	h.mu.Lock()
	for _, c := range h.clients { // want "GMF302 .*c.Close\\(\\) may block"
		c.Close()
	}
	for id := range h.clients { // want "GMF302 .*channel send on h.left"
		h.left <- id
	}
	clear(h.clients)
	h.mu.Unlock()
}
