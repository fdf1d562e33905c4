package registry

import (
	"fmt"
	"sync"
)

var cache sync.Map

func build(k string) string { return "v" + k }

// More than the Store depends on the miss: reported, no fix.
func More(k string) {
	if _, ok := cache.Load(k); !ok { // want "GMF702 cache.Load\\(k\\) .*no automatic fix"
		fmt.Println("miss", k)
		cache.Store(k, build(k))
	}
}

// The hit path uses the value, the miss path stores.
func Else(k string) string {
	if v, ok := cache.Load(k); ok { // want "GMF702 cache.Load\\(k\\) .*no automatic fix"
		return v.(string)
	} else {
		cache.Store(k, build(k))
	}
	return ""
}

// The check as a statement of its own.
func Split(k string) {
	_, ok := cache.Load(k) // want "GMF702 cache.Load\\(k\\) .*no automatic fix"
	if !ok {
		cache.Store(k, build(k))
	}
	fmt.Println(ok)
}

// An else-if: no statement to put LoadOrStore in.
func ElseIf(k string, skip bool) {
	if skip {
		return
	} else if _, ok := cache.Load(k); !ok { // want "GMF702 cache.Load\\(k\\) .*no automatic fix in an else-if"
		cache.Store(k, build(k))
	}
}

type Client struct{ name string }

var clients sync.Map

// The common getter: the hit returns early, the rest of the function is the miss path.
func Get(name string) *Client {
	if c, ok := clients.Load(name); ok { // want "GMF702 clients.Load\\(name\\) .*no automatic fix"
		return c.(*Client)
	}
	c := &Client{name: name}
	clients.Store(name, c)
	return c
}

// The same with the check as a statement of its own.
func Get2(name string) *Client {
	c, ok := clients.Load(name) // want "GMF702 clients.Load\\(name\\) .*no automatic fix"
	if ok {
		return c.(*Client)
	}
	fresh := &Client{name: name}
	clients.Store(name, fresh)
	return fresh
}
