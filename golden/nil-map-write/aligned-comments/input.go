package tally

// gofmt aligns the trailing comments of consecutive lines: the declaration gets
// longer, so the fix moves the comment column of the whole block.
func words(ws []string) int {
	var counts map[string]int // per word
	var total int             // all words
	for _, w := range ws {
		counts[w]++ // want "GMF201 map counts is declared"
		total++
	}
	return len(counts) + total
}
