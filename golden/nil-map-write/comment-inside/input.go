package words

// The comment sits inside the declaration the fix rewrites, so the fix is lowered
// to unsafe (it would drop the comment) and not applied by default.
func count(words []string) int {
	var counts /* per word */ map[string]int
	for _, w := range words {
		counts[w]++ // want "GMF201 map counts is declared"
	}
	return len(counts)
}
