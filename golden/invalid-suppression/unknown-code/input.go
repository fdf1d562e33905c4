//gomapfix:file-ignore GMF999 legacy code // want "GMF901 invalid suppression: names unknown rule code GMF999"

package cache

//gomapfix:ignore because the linter said so // want "GMF901 invalid suppression: names unknown rule code BECAUSE"
func drop(m map[string]int, k string) {
	delete(m, k)
}
