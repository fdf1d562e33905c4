package columns

import "strings"

type Table struct {
	index map[string]int
}

func (t *Table) add(names []string) {
	for i, n := range names {
		t.index[n] = i
	}
}

// HasColumn is a presence query by name: reported, but there is no if to
// rewrite.
func (t *Table) HasColumn(name string) bool {
	return t.index[name] != 0 // want "GMF502 t.index\\[name\\] != 0 used as a presence test"
}

// An if with an initialiser: the comma-ok form would need a second one.
func (t *Table) Lower(name string) int {
	if lower := strings.ToLower(name); t.index[lower] == 0 { // want "GMF502 t.index\\[lower\\] == 0 used as a presence test"
		return -1
	}
	return 1
}

// An else-if condition is fixed like a plain one.
func (t *Table) Kind(name string) string {
	if name == "" {
		return "empty"
	} else if t.index[name] == 0 { // want "GMF502 t.index\\[name\\] == 0 used as a presence test"
		return "unknown"
	}
	return "column"
}
