// Package contenthash hashes what a value holds, for caches whose keys
// are their content: an answer kept under the hash of everything it was
// made from is a pure function of its key, so an edit (which changes what
// the answer is made from, and so the key) needs no invalidation. The
// GraphQL fragment cache keys articles' JSON this way, the feeds their
// items' XML.
package contenthash

import (
	"encoding/binary"
	"math"
	"reflect"
	"time"

	"github.com/cespare/xxhash/v2"
)

// Of returns the hash of everything v holds (see Hasher.Value); false for
// a value it cannot hash.
func Of(v any) (uint64, bool) {
	h := New()
	ok := h.Value(reflect.ValueOf(v))
	return h.Sum(), ok
}

var timeType = reflect.TypeFor[time.Time]()

// Value hashes everything v holds, following pointers and slices; a time
// is its instant and its zone, which an answer shows. It is false for a
// value holding a kind it cannot hash (a map, an interface, a func), whose
// answer then must not be kept.
func (d *Hasher) Value(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			d.Mark('n')
			return true
		}
		if typ := d.memo.index(v.Type().Elem()); typ >= 0 {
			return d.memo.pointer(d, v, typ)
		}
		d.Mark('p')
		return d.Value(v.Elem())
	case reflect.Struct:
		if v.Type() == timeType {
			var t time.Time
			switch {
			case v.CanAddr() && v.CanInterface():
				t = *v.Addr().Interface().(*time.Time) // no copy to the heap
			case v.CanInterface():
				t = v.Interface().(time.Time)
			default:
				return false
			}
			name, offset := t.Zone()
			d.Uint(uint64(t.UnixNano()))
			d.String(name)
			d.Uint(uint64(offset))
			return true
		}
		for i := range v.NumField() {
			if !d.Value(v.Field(i)) {
				return false
			}
		}
	case reflect.Slice:
		if v.IsNil() { // JSON's null, not []
			d.Mark('n')
			return true
		}
		d.Mark('s')
		d.Uint(uint64(v.Len()))
		for i := range v.Len() {
			if !d.Value(v.Index(i)) {
				return false
			}
		}
	case reflect.String:
		d.String(v.String())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		d.Uint(uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		d.Uint(v.Uint())
	case reflect.Bool:
		if v.Bool() {
			d.Mark('t')
		} else {
			d.Mark('f')
		}
	case reflect.Float32, reflect.Float64:
		d.Uint(math.Float64bits(v.Float()))
	default:
		return false
	}
	return true
}

// Hasher feeds xxhash through a buffer: a key is made of many small
// pieces, and a Write for each cost more than the hashing itself.
type Hasher struct {
	d    xxhash.Digest
	buf  [256]byte
	n    int
	memo *Memo // nil: every value hashed field by field
}

// New returns an empty Hasher.
func New() *Hasher {
	h := &Hasher{}
	h.d.Reset()
	return h
}

func (h *Hasher) flush() {
	h.d.Write(h.buf[:h.n])
	h.n = 0
}

// Sum returns the hash of everything written.
func (h *Hasher) Sum() uint64 {
	h.flush()
	return h.d.Sum64()
}

// Mark writes one byte that says what comes next.
func (h *Hasher) Mark(c byte) {
	if h.n == len(h.buf) {
		h.flush()
	}
	h.buf[h.n] = c
	h.n++
}

// Uint writes n.
func (h *Hasher) Uint(n uint64) {
	if h.n+8 > len(h.buf) {
		h.flush()
	}
	binary.LittleEndian.PutUint64(h.buf[h.n:], n)
	h.n += 8
}

// String writes s with its length, so that "ab","c" and "a","bc" differ.
func (h *Hasher) String(s string) {
	h.Uint(uint64(len(s)))
	if len(s) > len(h.buf)-h.n {
		h.flush()
		if len(s) > len(h.buf) {
			h.d.WriteString(s)
			return
		}
	}
	h.n += copy(h.buf[h.n:], s)
}
