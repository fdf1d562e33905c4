package sessions

import "sync"

// A struct embedding sync.Map gets its Clear; one that declares Clear itself does not.
type Registry struct {
	sync.Map
}

func (r *Registry) Reset() {
	r.Range(func(k, _ any) bool { // want "GMF704 r.Range"
		r.Delete(k)
		return true
	})
}

type Tracked struct {
	sync.Map
	cleared int
}

func (t *Tracked) Clear() { t.cleared++ }

func (t *Tracked) Reset() {
	t.Range(func(k, _ any) bool {
		t.Delete(k)
		return true
	})
}
