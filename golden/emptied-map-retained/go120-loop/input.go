package cache

// Before Go 1.21 there is no clear, but the delete-all loop keeps the memory just the
// same, and make works in every Go version.
type Registry struct {
	byID map[int64]string
}

func (r *Registry) Forget() {
	for id := range r.byID { // want "GMF601 deleting every key of r.byID keeps all its memory"
		delete(r.byID, id)
	}
}
