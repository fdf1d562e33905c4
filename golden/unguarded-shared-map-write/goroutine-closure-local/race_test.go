package fetch

import "testing"

func TestSizes(t *testing.T) {
	urls := []string{"a/b", "c/d/e", "f", "g/h", "i/j/k/l", "m", "n/o", "p/q"}
	if got := Sizes(urls); len(got) != len(urls) {
		t.Fatalf("got %d sizes", len(got))
	}
}
