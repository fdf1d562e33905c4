package hooks

// Registry holds one callback per event name.
type Registry struct {
	onEvent map[string]func(string)
}

// Fire unregisters a one-shot hook and then calls it: the call is on a nil
// func and panics. (m[k](x) parses like a generic conversion; still found.)
func (r *Registry) Fire(name string) {
	delete(r.onEvent, name)
	r.onEvent[name](name) // want "GMF501 r.onEvent\\[name\\] read after delete"
}
