//go:build go1.23

// The module says go 1.22, but this file is built only with Go 1.23+: the
// iterators exist, and the rule uses the file's version.
package tags

import (
	"iter"
	"maps"
	"slices"
	"sync"
)

type Tags struct {
	mu  sync.Mutex
	set map[string]bool
}

func (t *Tags) Names() iter.Seq[string] {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Values(slices.Collect(maps.Keys(t.set)))
}
