package index

import "maps"

// Go 1.22: maps.Clone exists (1.21) but slices.Collect and maps.Keys do not (1.23).
// Key only: a manual key-collect loop. Key and value: range over maps.Clone(m).
func aliases(m map[string]int) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for _, k := range keys {
		m["alias:"+k] = m[k]
	}
}

func rekey(m map[string]int) {
	for k, v := range maps.Clone(m) {
		delete(m, k)
		m["v2:"+k] = v
	}
}
