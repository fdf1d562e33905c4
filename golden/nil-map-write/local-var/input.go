package words

type Set map[string]struct{}

// Counts with ++: the map is never made, so the first word panics.
func countDistinct(words []string) int {
	var counts map[string]int
	for _, w := range words {
		counts[w]++ // want "GMF201 map counts is declared without make.*nil map panic"
	}
	return len(counts)
}

// A named map type from the package.
func unique(words []string) []string {
	var seen Set
	var out []string
	for _, w := range words {
		if _, ok := seen[w]; ok {
			continue
		}
		seen[w] = struct{}{} // want "GMF201 map seen is declared without make"
		out = append(out, w)
	}
	return out
}

// op= and append shapes; reads and delete before the write are fine on a nil map.
func group(words []string) int {
	var byLen map[int][]string
	var total map[string]int
	for _, w := range words {
		delete(total, w)
		total[w] += len(w) // want "GMF201 map total is declared"
		byLen[len(w)] = append(byLen[len(w)], w) // want "GMF201 map byLen is declared"
	}
	return len(byLen) + len(total)
}

// The write inside a closure panics when the closure runs.
func visit(words []string, each func(func(string))) int {
	var hits map[string]int
	each(func(w string) {
		hits[w]++ // want "GMF201 map hits is declared"
	})
	for range hits {
	}
	return len(words)
}
