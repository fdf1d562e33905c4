package handles

import (
	"reflect"
	"unsafe"
)

type Object struct{ n int }

// handles maps ids to object addresses: integers the garbage collector ignores.
var handles = map[int]uintptr{}

func Register(id int, obj *Object) {
	handles[id] = uintptr(unsafe.Pointer(obj)) // want "GMF403 map handles stores the address of a Go object as a uintptr \\(uintptr\\(unsafe.Pointer\\(obj\\)\\)\\)"
}

func RegisterField(id int, obj *Object) {
	addr := uintptr(unsafe.Pointer(&obj.n)) + 8
	handles[id] = addr // want "GMF403 map handles stores the address"
}

func RegisterReflect(id int, x any) {
	handles[id] = reflect.ValueOf(x).Pointer() // want "GMF403 .*reflect.ValueOf\\(x\\).Pointer\\(\\)"
}

var initial = map[string]uintptr{
	"zero": uintptr(unsafe.Pointer(new(Object))), // want "GMF403 map literal map\\[string\\]uintptr stores"
}
