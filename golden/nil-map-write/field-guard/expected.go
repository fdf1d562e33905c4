package registry

type Handler func() error

type Registry struct {
	name     string
	handlers map[string]Handler
	aliases  map[string][]string
}

func NewRegistry(name string) *Registry {
	return &Registry{name: name}
}

// Pointer receiver: the guard goes right before the write, once per block.
func (r *Registry) Register(name string, h Handler) {
	if r.handlers == nil {
		r.handlers = make(map[string]Handler)
	}
	r.handlers[name] = h
	r.handlers[name+"!"] = h
}

// Writes in two branches get a guard each.
func (r *Registry) Alias(name, alias string, front bool) {
	if front {
		if r.aliases == nil {
			r.aliases = make(map[string][]string)
		}
		r.aliases[name] = append([]string{alias}, r.aliases[name]...)
	} else {
		if r.aliases == nil {
			r.aliases = make(map[string][]string)
		}
		r.aliases[name] = append(r.aliases[name], alias)
	}
}

// A pointer parameter and a local struct variable are addressable owners.
func register(r *Registry, name string) {
	if r.handlers == nil {
		r.handlers = make(map[string]Handler)
	}
	r.handlers[name] = nil
}

func local() int {
	var r Registry
	if r.handlers == nil {
		r.handlers = make(map[string]Handler)
	}
	r.handlers["x"] = nil
	return len(r.handlers)
}

// Reads and delete need no guard.
func (r *Registry) Lookup(name string) Handler {
	delete(r.aliases, name)
	return r.handlers[name]
}
