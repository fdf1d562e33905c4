package metrics

// A float64 key can be NaN, and NaN != NaN: delete(m, k) can never remove a NaN key,
// so this loop leaves NaN entries behind, while clear(m) removes them too
// (golang/go#56351). With --unsafe-fixes the rewrite is applied anyway.
func resetBuckets(buckets map[float64]int) {
	clear(buckets)
}

type sample struct {
	name  string
	value float32
}

func resetSamples(seen map[sample]bool) {
	clear(seen)
}

func resetComplex(m map[[2]complex64]string) {
	clear(m)
}
