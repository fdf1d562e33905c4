package handles

import (
	"syscall"
	"unsafe"
)

type Object struct{ n int }

// Real pointers keep their objects alive: nothing dangles.
var objects = map[int]*Object{}
var raw = map[int]unsafe.Pointer{}

// Plain integers stored as uintptr: counters, sizes, syscall results.
var sizes = map[string]uintptr{}
var mapped = map[int]uintptr{}

func Keep(id int, obj *Object) {
	objects[id] = obj
	raw[id] = unsafe.Pointer(obj)
	delete(objects, id)
}

func Count(name string, n int) {
	sizes[name] += uintptr(n)
	sizes[name] = unsafe.Sizeof(Object{})
}

func Map(id int, fd int) error {
	addr, _, errno := syscall.Syscall(syscall.SYS_GETPID, 0, 0, uintptr(fd))
	if errno != 0 {
		return errno
	}
	mapped[id] = addr
	return nil
}
