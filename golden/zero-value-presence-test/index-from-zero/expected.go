package columns

import "fmt"

// Table finds columns by name.
type Table struct {
	names []string
	index map[string]int
}

// NewTable indexes the column names: the first column has index 0.
func NewTable(names []string) *Table {
	t := &Table{names: names, index: make(map[string]int)}
	for i, name := range names {
		t.index[name] = i
	}
	return t
}

// Column rejects the first column as unknown: index 0 looks like "absent".
func (t *Table) Column(name string) (int, error) {
	if _, ok := t.index[name]; !ok {
		return 0, fmt.Errorf("unknown column %q", name)
	}
	return t.index[name], nil
}

// Rename skips the first column for the same reason.
func (t *Table) Rename(from, to string) {
	if _, ok := t.index[from]; ok {
		t.names[t.index[from]] = to
	}
}
