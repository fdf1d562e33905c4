package registry

type handle struct {
	owner any
	n     int
}

// Interface keys can hold a NaN float at run time: clear(m) would also remove those
// entries, which the loop never deletes. Unsafe, not applied by default.
func resetAny(m map[any]string) {
	for k := range m { // want "GMF304 loop deletes every key of m.*key type any can hold NaN"
		delete(m, k)
	}
}

func resetErrors(m map[error]int) {
	for err := range m { // want "GMF304 .*can hold NaN"
		delete(m, err)
	}
}

// A struct holding an interface field is not reflexive either.
func resetHandles(m map[handle]bool) {
	for h := range m { // want "GMF304 .*can hold NaN"
		delete(m, h)
	}
}
