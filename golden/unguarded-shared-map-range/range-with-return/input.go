package users

import "sync"

type Directory struct {
	mu     sync.RWMutex
	byName map[string]int
}

func (d *Directory) Add(name string, id int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.byName[name] = id
}

func (d *Directory) ID(name string) int {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.byName[name]
}

// NameOf returns from inside the loop: the fix unlocks before that return.
func (d *Directory) NameOf(id int) (string, bool) {
	for name, v := range d.byName { // want "GMF103 range over d.byName"
		if v == id {
			return name, true
		}
	}
	return "", false
}
