package jobs

// The range assigns existing variables: the loop's last key and value stay visible
// after it, so no snapshot is written automatically.
func lastAdded(m map[int]string) (int, string) {
	var k int
	var v string
	for k, v = range m { // want "GMF301 map insert during range over m: .*no automatic fix: the range assigns existing variables"
		m[k+100] = v
	}
	return k, v
}

// A goto in the function: a new declaration before the loop could be jumped over.
func withGoto(m map[int]string, n int) {
	if n == 0 {
		goto done
	}
	for k := range m { // want "GMF301 .*no automatic fix: the function uses goto"
		m[k+n] = "shifted"
	}
done:
}
