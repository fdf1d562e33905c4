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
	victims := make([]*client, 0, len(h.clients))
	for _, c := range h.clients {
		victims = append(victims, c)
	}
	keys := make([]string, 0, len(h.clients))
	for id := range h.clients {
		keys = append(keys, id)
	}
	clear(h.clients)
	h.mu.Unlock()
	for _, c := range victims {
		c.Close()
	}
	for _, id := range keys {
		h.left <- id
	}
}
