package sessions

// delete has been a no-op on nil maps and missing keys since Go 1.0: the fix
// needs no newer Go than the code already has.
func drop(m map[int]string, k int) {
	delete(m, k)
}
