package tables

// maps names a local variable here: maps.DeleteFunc cannot be written.
func Clean(tables map[string][]int) int {
	maps := len(tables)
	for name, rows := range tables {
		if len(rows) == 0 {
			delete(tables, name)
		}
	}
	return maps
}
