package stats

// Go 1.21 is the first version with maps.Clone.
func addTotals(m map[string]float64) {
	for k, v := range m { // want "GMF301 map insert during range over m"
		m[k+".total"] += v
	}
}
