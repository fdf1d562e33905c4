package stats

// The map expression is an index: the fix would evaluate it again.
func viaIndex(all []map[string]map[string]int, a, b string) {
	all[0][a][b] = 1 // want "GMF202 all\\[0\\]\\[a\\] is nil.*no fix: the map expression all\\[0\\] is not a plain variable"
}

// A select case header cannot hold the new statements.
func fromChan(m map[string]map[string]int, a string, ch <-chan int) {
	select {
	case m[a]["v"] = <-ch: // want "GMF202 m\\[a\\] is nil.*no fix: the write is not a plain statement"
	default:
	}
}

// goto may jump over the new variable declaration.
func withGoto(m map[string]map[string]int, a string, n int) {
	if n > 0 {
		goto done
	}
	m[a]["v"] = n // want "GMF202 m\\[a\\] is nil.*no fix: the function uses goto"
done:
}
