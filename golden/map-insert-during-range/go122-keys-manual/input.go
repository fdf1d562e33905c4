package index

// Go 1.22: maps.Clone exists (1.21) but slices.Collect and maps.Keys do not (1.23).
// Key only: a manual key-collect loop. Key and value: range over maps.Clone(m).
func aliases(m map[string]int) {
	for k := range m { // want "GMF301 map insert during range over m"
		m["alias:"+k] = m[k]
	}
}

func rekey(m map[string]int) {
	for k, v := range m { // want "GMF301 map re-key during range over m"
		delete(m, k)
		m["v2:"+k] = v
	}
}
