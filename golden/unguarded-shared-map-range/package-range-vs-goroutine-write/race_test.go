package metrics

import "testing"

func TestSnapshotWhileCollecting(t *testing.T) {
	samples := make(chan [2]float64)
	Start(samples, []string{"a", "b", "c", "d"})
	done := make(chan struct{})
	go func() {
		for i := 0; i < 300; i++ {
			Snapshot()
		}
		close(done)
	}()
	for i := 0; i < 300; i++ {
		samples <- [2]float64{float64(i % 4), float64(i)}
	}
	<-done
}
