package registry

// Plugin is a loaded extension.
type Plugin interface {
	Start() error
}

// Registry holds plugins by name.
type Registry struct {
	plugins map[string]Plugin
}

// Start starts a plugin by name: an unknown name is a nil interface, and the
// method call panics. The comma-ok fix needs no particular Go version.
func (r *Registry) Start(name string) {
	if v, ok := r.plugins[name]; ok {
		_ = v.Start()
	}
}
