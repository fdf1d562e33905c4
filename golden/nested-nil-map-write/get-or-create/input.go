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
		perUser[user][page]++ // want "GMF202 perUser\\[user\\] is nil for a new key"
		perUser[user]["total"]++
	}
	return perUser
}

// op= and the append shape: the other reads of perDay[day] in the statement use
// the inner map too.
func totals(perDay map[string]map[string][]int, day, name string, n int) {
	perDay[day][name] = append(perDay[day][name], n) // want "GMF202 perDay\\[day\\] is nil"
}

// A field through a pointer receiver, with a named inner map type.
func (x *Index) Tag(tag, id string) {
	x.byTag[tag][id] = struct{}{} // want "GMF202 x.byTag\\[tag\\] is nil"
}

// Two different keys in one block get two fresh names.
func link(graph map[string]map[string]bool, a, b string) {
	graph[a][b] = true // want "GMF202 graph\\[a\\] is nil"
	graph[b][a] = true // want "GMF202 graph\\[b\\] is nil"
}

func weights(w map[int]map[int]float64, i, j int, d float64) {
	w[i][j] -= d // want "GMF202 w\\[i\\] is nil"
}
