package words

// In a var block only the spec changes (var m = make(...)), re-aligned as gofmt does.
func index(words []string) int {
	var (
		n     int
		index map[string]int // by word
		total = 3
	)
	for i, w := range words {
		index[w] = i // want "GMF201 map index is declared without make"
		n++
	}
	return n + total + len(index)
}

// Two names in one spec: the written one is made; the other keeps its nil map.
func split(words []string) int {
	var first, last map[string]int
	for i, w := range words {
		first[w] = i // want "GMF201 map first is declared"
	}
	_ = len(last)
	return len(first)
}

// Two names in a var block spec: the spec is split.
func splitBlock(words []string) int {
	var (
		seenA, seenB map[string]bool
		count        int
	)
	for _, w := range words {
		seenB[w] = true // want "GMF201 map seenB is declared"
		count++
	}
	return count + len(seenA) + len(seenB)
}
