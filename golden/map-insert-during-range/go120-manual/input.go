package index

import "strings"

type Index struct {
	byName map[string]int
}

// Go 1.20 has neither maps.Clone nor slices.Collect: the snapshot is a manual
// key-collect loop, and the value is read back from the map.
func (ix *Index) lower() {
	for k, v := range ix.byName { // want "GMF301 map re-key during range over ix.byName"
		// The lowered key replaces the original.
		delete(ix.byName, k)
		ix.byName[strings.ToLower(k)] = v
	}
}

func spread(m map[int]string) {
retry:
	for k := range m { // want "GMF301 map insert during range over m"
		if k < 0 {
			continue retry
		}
		m[k*2] = "double"
	}
}

func pad(m map[int]string) {
	for range m { // want "GMF301 map insert during range over m"
		m[-len(m)] = "pad"
	}
}
