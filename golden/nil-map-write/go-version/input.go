package words

type Set map[string]struct{}

type index struct {
	byWord map[string][]int
}

// make and the nil guard exist in every Go version: the fix is the same at go 1.16.
func count(words []string) int {
	var counts map[string]int
	for _, w := range words {
		counts[w]++ // want "GMF201 map counts is declared"
	}
	return len(counts)
}

func (x *index) add(word string, pos int) {
	x.byWord[word] = append(x.byWord[word], pos) // want "GMF201 map field x.byWord may be nil"
}
