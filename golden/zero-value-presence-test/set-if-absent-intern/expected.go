package intern

// Pool hands out small integer ids for strings.
type Pool struct {
	ids   map[string]int
	names []string
}

// ID gives the first string id 0, and then hands out a new id for it on every
// call: the set-if-absent test cannot see that 0 is present.
func (p *Pool) ID(s string) int {
	if _, ok := p.ids[s]; !ok {
		p.ids[s] = len(p.names)
		p.names = append(p.names, s)
	}
	return p.ids[s]
}
