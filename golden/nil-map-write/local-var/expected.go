package words

type Set map[string]struct{}

// Counts with ++: the map is never made, so the first word panics.
func countDistinct(words []string) int {
	counts := make(map[string]int)
	for _, w := range words {
		counts[w]++
	}
	return len(counts)
}

// A named map type from the package.
func unique(words []string) []string {
	seen := make(Set)
	var out []string
	for _, w := range words {
		if _, ok := seen[w]; ok {
			continue
		}
		seen[w] = struct{}{}
		out = append(out, w)
	}
	return out
}

// op= and append shapes; reads and delete before the write are fine on a nil map.
func group(words []string) int {
	byLen := make(map[int][]string)
	total := make(map[string]int)
	for _, w := range words {
		delete(total, w)
		total[w] += len(w)
		byLen[len(w)] = append(byLen[len(w)], w)
	}
	return len(byLen) + len(total)
}

// The write inside a closure panics when the closure runs.
func visit(words []string, each func(func(string))) int {
	hits := make(map[string]int)
	each(func(w string) {
		hits[w]++
	})
	for range hits {
	}
	return len(words)
}
