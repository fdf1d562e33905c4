package words

// In a var block only the spec changes (var m = make(...)), re-aligned as gofmt does.
func index(words []string) int {
	var (
		n     int
		index = make(map[string]int) // by word
		total = 3
	)
	for i, w := range words {
		index[w] = i
		n++
	}
	return n + total + len(index)
}

// Two names in one spec: the written one is made; the other keeps its nil map.
func split(words []string) int {
	first := make(map[string]int)
	var last map[string]int
	for i, w := range words {
		first[w] = i
	}
	_ = len(last)
	return len(first)
}

// Two names in a var block spec: the spec is split.
func splitBlock(words []string) int {
	var (
		seenB = make(map[string]bool)
		seenA map[string]bool
		count int
	)
	for _, w := range words {
		seenB[w] = true
		count++
	}
	return count + len(seenA) + len(seenB)
}
