package cache

// The fix is unsafe (other holders of the map): plain `gomapfix fix` leaves it alone.
var routes = make(map[string]func())

func Unregister() {
	clear(routes) // want "GMF601 clear\\(routes\\) empties routes"
}
