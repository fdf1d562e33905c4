package sessions

import "fmt"

func drop(m map[string]int, k string) {
	delete(m, k)
	fmt.Println(len(m))
}

func dropExists(m map[[2]int]bool, x, y int) {
	if _, exists := m[[2]int{x, y}]; exists {
		delete(m, [2]int{x, y})
	}
}
