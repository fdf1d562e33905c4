package inventory

type bin struct {
	counts map[string]int
}

// A map element is not addressable: the guard could not assign to its field.
func addToNamed(bins map[string]bin, name, item string) {
	bins[name].counts[item] = 1 // want "GMF201 map field bins\\[name\\].counts may be nil.*no fix: bins\\[name\\] is a map element, which is not addressable"
}

// An indexed owner would be evaluated again by the guard: no fix either.
func addAt(bins []bin, i int, item string) {
	bins[i].counts[item]++ // want "GMF201 map field bins\\[i\\].counts may be nil.*no fix"
}
