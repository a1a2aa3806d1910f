package contenthash

import (
	"reflect"
	"slices"
	"sync"
	"unsafe"
	"weak"
)

// Memo remembers the hashes of values that are shared by pointer and never
// changed once shared: the articles, authors, tags and categories a store's
// caches hand to every request of a generation. A page of twenty articles
// hashed field by field through reflection was a tenth of a GraphQL page's
// time; with the memo each value is hashed once, and every later answer
// showing it writes its hash.
//
// A hash is found by the value's address and type, and kept with a weak
// pointer to the value: the memo keeps nothing alive, and a hash is taken
// only while its weak pointer still gives the address asked about. Once the
// garbage collector has taken a value its weak pointer gives nil, so a new
// value made at the same address is hashed as what it holds. (Making a weak
// pointer takes a lock; reading one does not, so lookups only read.) Only
// pointers to the types given to NewMemo are remembered; a value of one of
// them that changes after it was hashed would be answered as it was.
type Memo struct {
	types []reflect.Type
	mu    sync.RWMutex
	sums  map[memoKey]memoSum
	size  int
}

type memoKey struct {
	// typ, the index in types, tells a struct from its first field, which
	// has its address.
	typ  int
	addr uintptr
}

type memoSum struct {
	value weak.Pointer[byte]
	sum   uint64
	ok    bool
}

// NewMemo returns a memo of at most size hashes of values of the types.
func NewMemo(size int, types ...reflect.Type) *Memo {
	return &Memo{types: types, sums: make(map[memoKey]memoSum), size: size}
}

// NewHasher returns an empty Hasher whose Value takes the hashes of the
// memo's types from m. Its sums differ from a plain Hasher's for the same
// values: keys of one cache must all come from one kind.
func (m *Memo) NewHasher() *Hasher {
	h := New()
	h.memo = m
	return h
}

// index is the index of type t among the memo's types; -1 when it is not
// one of them, or there is no memo.
func (m *Memo) index(t reflect.Type) int {
	if m == nil {
		return -1
	}
	return slices.Index(m.types, t)
}

// pointer writes the hash of what p, a non-nil pointer to the memo's type
// typ, holds, hashed now or before.
func (m *Memo) pointer(d *Hasher, p reflect.Value, typ int) bool {
	addr := p.UnsafePointer()
	k := memoKey{typ: typ, addr: uintptr(addr)}
	m.mu.RLock()
	s, found := m.sums[k]
	m.mu.RUnlock()
	if !found || unsafe.Pointer(s.value.Value()) != addr {
		h := m.NewHasher()
		s.ok = h.Value(p.Elem())
		s.sum = h.Sum()
		s.value = weak.Make((*byte)(addr))
		m.mu.Lock()
		if len(m.sums) >= m.size {
			// Start again rather than track what was used last: a hash is
			// cheap to make again, and most of those held are of values
			// long gone.
			clear(m.sums)
		}
		m.sums[k] = s
		m.mu.Unlock()
	}
	d.Mark('m')
	d.Uint(s.sum)
	return s.ok
}
