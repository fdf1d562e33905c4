package words

type Set map[string]struct{}

type index struct {
	byWord map[string][]int
}

// make and the nil guard exist in every Go version: the fix is the same at go 1.16.
func count(words []string) int {
	counts := make(map[string]int)
	for _, w := range words {
		counts[w]++
	}
	return len(counts)
}

func (x *index) add(word string, pos int) {
	if x.byWord == nil {
		x.byWord = make(map[string][]int)
	}
	x.byWord[word] = append(x.byWord[word], pos)
}
