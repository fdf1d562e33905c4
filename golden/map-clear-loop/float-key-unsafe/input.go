package metrics

// A float64 key can be NaN, and NaN != NaN: delete(m, k) can never remove a NaN key,
// so this loop leaves NaN entries behind, while clear(m) removes them too
// (golang/go#56351). The rewrite changes behaviour: unsafe, not applied by default.
func resetBuckets(buckets map[float64]int) {
	for b := range buckets { // want "GMF304 loop deletes every key of buckets: use clear.buckets. .not equivalent: key type float64 can hold NaN keys"
		delete(buckets, b)
	}
}

type sample struct {
	name  string
	value float32
}

func resetSamples(seen map[sample]bool) {
	for s := range seen { // want "GMF304 loop deletes every key of seen.*key type sample can hold NaN"
		delete(seen, s)
	}
}

func resetComplex(m map[[2]complex64]string) {
	for k := range m { // want "GMF304 .*can hold NaN"
		delete(m, k)
	}
}
