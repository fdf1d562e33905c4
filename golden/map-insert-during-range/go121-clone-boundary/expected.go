package stats

import "maps"

// Go 1.21 is the first version with maps.Clone.
func addTotals(m map[string]float64) {
	for k, v := range maps.Clone(m) {
		m[k+".total"] += v
	}
}
