package stats

// Every shape below creates the inner map first or only reads: silent.
func guarded(m map[string]map[string]int, a, b string) {
	if m[a] == nil {
		m[a] = make(map[string]int)
	}
	m[a][b]++
}

func commaOK(m map[string]map[string]int, a, b string) {
	if _, ok := m[a]; !ok {
		m[a] = map[string]int{}
	}
	m[a][b] = 1
}

// Inner maps created for every key by an earlier loop.
func transpose(nodes []string, old map[string]map[string]bool) map[string]map[string]bool {
	edges := make(map[string]map[string]bool)
	for _, n := range nodes {
		edges[n] = make(map[string]bool)
	}
	for from, tos := range old {
		for to := range tos {
			edges[to][from] = true
		}
	}
	return edges
}

// The key comes from ranging over the same map: it is present.
func bump(m map[string]map[string]int) {
	for k := range m {
		m[k]["seen"]++
	}
}

// A literal with keys: the written keys are most likely those.
func literal() map[string]map[string]int {
	m := map[string]map[string]int{"a": {}, "b": {}}
	m["a"]["x"] = 1
	return m
}

// Reads and delete through a nil inner map are fine.
func reads(m map[string]map[string]int, a, b string) int {
	delete(m[a], b)
	return m[a][b] + len(m[a])
}

// Not a map of maps: a map of slices (an index write into the slice).
func slices(m map[string][]int, a string) {
	m[a][0] = 1
}

type graph struct {
	edges map[string]map[string]bool
}

func (g *graph) addNode(n string) {
	g.edges[n] = map[string]bool{}
}

// The field gets inner maps elsewhere in the package (addNode): the write relies
// on that invariant.
func (g *graph) addEdge(from, to string) {
	g.edges[from][to] = true
}
