package sessions

import "maps"

// The map comes from the caller and may be nil: maps.Clone(nil) is nil, make is not,
// so the fix is unsafe (applied here with --unsafe-fixes).
func Survivors(m map[string]int, min int) map[string]int {
	for k, v := range m {
		if v < min {
			delete(m, k)
		}
	}
	compacted := make(map[string]int, len(m))
	maps.Copy(compacted, m)
	return compacted
}

func Pruned(m map[string]int, drop []string) int {
	for _, k := range drop {
		delete(m, k)
	}
	kept := make(map[string]int, len(m))
	maps.Copy(kept, m)
	return len(kept)
}

type Table struct {
	rows map[int]string
}

func (t *Table) Vacuum(dead []int) {
	for _, id := range dead {
		delete(t.rows, id)
	}
	var fresh map[int]string
	compacted := make(map[int]string, len(t.rows))
	maps.Copy(compacted, t.rows)
	fresh = compacted
	t.rows = fresh
}
