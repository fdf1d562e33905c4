package cache

// Before Go 1.21 there is no clear, but the delete-all loop keeps the memory just the
// same, and make works in every Go version.
type Registry struct {
	byID map[int64]string
}

func (r *Registry) Forget() {
	r.byID = make(map[int64]string)
}
