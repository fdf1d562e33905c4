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
	return maps.Clone(m) // want "GMF602 maps.Clone\\(m\\) does not compact m"
}

func Pruned(m map[string]int, drop []string) int {
	for _, k := range drop {
		delete(m, k)
	}
	kept := maps.Clone(m) // want "GMF602 maps.Clone\\(m\\) does not compact m"
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
	fresh = maps.Clone(t.rows) // want "GMF602 maps.Clone\\(t.rows\\) does not compact t.rows"
	t.rows = fresh
}
