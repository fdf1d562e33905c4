package main

import (
	"fmt"
	"sync"
)

var config = map[string]string{}

func load() {
	config["mode"] = "fast"
}

func worker(id int, wg *sync.WaitGroup) {
	defer wg.Done()
	fmt.Println(id, config["mode"])
}

func main() {
	config["name"] = "demo"
	load()
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go worker(i, &wg)
	}
	wg.Wait()
	config["done"] = "yes"
}
