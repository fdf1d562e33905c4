package index

import "strings"

type Index struct {
	byName map[string]int
}

// Go 1.20 has neither maps.Clone nor slices.Collect: the snapshot is a manual
// key-collect loop, and the value is read back from the map.
func (ix *Index) lower() {
	keys := make([]string, 0, len(ix.byName))
	for k := range ix.byName {
		keys = append(keys, k)
	}
	for _, k := range keys {
		v := ix.byName[k]
		// The lowered key replaces the original.
		delete(ix.byName, k)
		ix.byName[strings.ToLower(k)] = v
	}
}

func spread(m map[int]string) {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
retry:
	for _, k := range keys {
		if k < 0 {
			continue retry
		}
		m[k*2] = "double"
	}
}

func pad(m map[int]string) {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for range keys {
		m[-len(m)] = "pad"
	}
}
