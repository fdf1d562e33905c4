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
	_ = r.plugins[name].Start() // want "GMF503 a method of r.plugins\\[name\\] .*nil interface"
}
