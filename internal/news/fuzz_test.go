package news

import (
	"testing"
)

// FuzzParseCursor: any text either is refused with BAD_USER_INPUT or reads
// as a cursor whose own encoding reads back the same.
func FuzzParseCursor(f *testing.F) {
	for _, c := range []Cursor{{Time: 1760063400000, ID: 42}, {Slug: "hai-phong"}, {Key: 1760063400001, Score: 12.5, Time: 1}} {
		f.Add(c.String())
	}
	f.Add("")
	f.Add("dDo6")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCursor("after", s)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		again, err := ParseCursor("after", c.String())
		if err != nil || again != c {
			t.Fatalf("%q: %+v re-encoded reads %+v, %v", s, c, again, err)
		}
	})
}

// FuzzParseNodeID: any text is refused or names a kind and a positive id
// that NodeID encodes back to an id reading the same.
func FuzzParseNodeID(f *testing.F) {
	f.Add(NodeID(KindArticle, 45))
	f.Add(NodeID(KindWebhook, 1))
	f.Add("QXJ0aWNsZTotMQ")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		kind, id, err := ParseNodeID(s)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if id <= 0 {
			t.Fatalf("%q: id %d", s, id)
		}
		k2, id2, err := ParseNodeID(NodeID(kind, id))
		if err != nil || k2 != kind || id2 != id {
			t.Fatalf("%q: %s %d does not round-trip", s, kind, id)
		}
	})
}
