package grow

// A NaN key is never found by a lookup, so a manual snapshot that reads m[k]
// again would lose its value: reported, no fix (found by the std-lib trial).
func Grow(m map[float64]int) (sum int) {
	grew := false
	for k, v := range m { // want "GMF301 .*no automatic fix: the key type .float64. may hold NaN"
		if !grew {
			for i := 0; i < 50; i++ {
				m[float64(i)] = i
			}
			grew = true
		}
		if k != k {
			sum += v
		}
	}
	return sum
}
