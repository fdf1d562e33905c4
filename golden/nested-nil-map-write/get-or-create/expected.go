package stats

type Set map[string]struct{}

type Index struct {
	byTag map[string]Set
}

// ++ on a map of maps: every new user panics.
func pageViews(events [][2]string) map[string]map[string]int {
	perUser := map[string]map[string]int{}
	for _, e := range events {
		user, page := e[0], e[1]
		inner := perUser[user]
		if inner == nil {
			inner = make(map[string]int)
			perUser[user] = inner
		}
		inner[page]++
		perUser[user]["total"]++
	}
	return perUser
}

// op= and the append shape: the other reads of perDay[day] in the statement use
// the inner map too.
func totals(perDay map[string]map[string][]int, day, name string, n int) {
	inner := perDay[day]
	if inner == nil {
		inner = make(map[string][]int)
		perDay[day] = inner
	}
	inner[name] = append(inner[name], n)
}

// A field through a pointer receiver, with a named inner map type.
func (x *Index) Tag(tag, id string) {
	inner := x.byTag[tag]
	if inner == nil {
		inner = make(Set)
		x.byTag[tag] = inner
	}
	inner[id] = struct{}{}
}

// Two different keys in one block get two fresh names.
func link(graph map[string]map[string]bool, a, b string) {
	inner := graph[a]
	if inner == nil {
		inner = make(map[string]bool)
		graph[a] = inner
	}
	inner[b] = true
	inner2 := graph[b]
	if inner2 == nil {
		inner2 = make(map[string]bool)
		graph[b] = inner2
	}
	inner2[a] = true
}

func weights(w map[int]map[int]float64, i, j int, d float64) {
	inner := w[i]
	if inner == nil {
		inner = make(map[int]float64)
		w[i] = inner
	}
	inner[j] -= d
}
