package sessions

import "maps"

type Index struct {
	byName map[string]int
}

// A field may be nil: the fix is unsafe and plain `gomapfix fix` leaves it alone.
func (ix *Index) Compact() {
	ix.byName = maps.Clone(ix.byName) // want "GMF602 maps.Clone\\(ix.byName\\) does not compact"
}
