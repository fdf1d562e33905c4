package users

// User is a record loaded from a slow backend.
type User struct {
	Name string
}

// cache remembers lookups, including misses (stored as nil).
var cache = map[string]*User{}

func load(name string) *User {
	if name == "" {
		return nil
	}
	return &User{Name: name}
}

// Forget records a known miss.
func Forget(name string) {
	cache[name] = nil
}

// Lookup reloads remembered misses every time: nil looks like "absent".
func Lookup(name string) *User {
	if cache[name] == nil { // want "GMF502 cache\\[name\\] == nil used as a presence test"
		cache[name] = load(name)
	}
	return cache[name]
}
