package model

import (
	"bytes"
	"io"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

// MarshalString writes s as a JSON string, byte for byte what gqlgen's
// graphql.MarshalString writes (the same escapes; bytes of invalid UTF-8
// pass through as they are), without its cost: gqlgen decodes s rune by
// rune and writes each escape through the io.Writer interface, which made
// quoting strings a twentieth of an article's GraphQL answer. Every
// character that needs an escape is ASCII, and no byte of a multi-byte
// UTF-8 sequence is, so a scan of bytes finds them all.
func MarshalString(s string) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		writeAppended(w, len(s)+2, func(dst []byte) []byte { return appendString(dst, s) })
	})
}

// UnmarshalString reads a String argument as gqlgen does.
func UnmarshalString(v any) (string, error) { return graphql.UnmarshalString(v) }

// escapes holds, for each byte that cannot stand in a JSON string as it
// is, its escape; other bytes map to "".
var escapes = func() (t [256]string) {
	const hex = "0123456789ABCDEF"
	for c := range 0x20 {
		t[c] = `\u00` + string(hex[c>>4]) + string(hex[c&0xf])
	}
	t['\t'], t['\r'], t['\n'], t['\\'], t['"'] = `\t`, `\r`, `\n`, `\\`, `\"`
	return t
}()

// appendString appends s to dst as a quoted JSON string.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		if e := escapes[s[i]]; e != "" {
			dst = append(append(dst, s[start:i]...), e...)
			start = i + 1
		}
	}
	return append(append(dst, s[start:]...), '"')
}

// writeAppended writes what app appends (about n bytes): straight into
// the spare room of the executor's buffer (gqlgen marshals the answer
// into a bytes.Buffer), made room for first so that append does not copy
// it to a new slice, or through a new slice for any other writer.
func writeAppended(w io.Writer, n int, app func([]byte) []byte) {
	if b, ok := w.(*bytes.Buffer); ok {
		b.Grow(n)
		b.Write(app(b.AvailableBuffer()))
		return
	}
	w.Write(app(make([]byte, 0, n)))
}

// appendDateTime appends t as a quoted RFC 3339 string.
func appendDateTime(dst []byte, t time.Time) []byte {
	return append(t.AppendFormat(append(dst, '"'), time.RFC3339Nano), '"')
}
