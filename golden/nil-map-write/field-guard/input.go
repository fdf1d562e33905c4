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
	r.handlers[name] = h // want "GMF201 map field r.handlers may be nil.*Registry.handlers"
	r.handlers[name+"!"] = h
}

// Writes in two branches get a guard each.
func (r *Registry) Alias(name, alias string, front bool) {
	if front {
		r.aliases[name] = append([]string{alias}, r.aliases[name]...) // want "GMF201 map field r.aliases may be nil"
	} else {
		r.aliases[name] = append(r.aliases[name], alias) // want "GMF201 map field r.aliases may be nil"
	}
}

// A pointer parameter and a local struct variable are addressable owners.
func register(r *Registry, name string) {
	r.handlers[name] = nil // want "GMF201 map field r.handlers may be nil"
}

func local() int {
	var r Registry
	r.handlers["x"] = nil // want "GMF201 map field r.handlers may be nil"
	return len(r.handlers)
}

// Reads and delete need no guard.
func (r *Registry) Lookup(name string) Handler {
	delete(r.aliases, name)
	return r.handlers[name]
}
