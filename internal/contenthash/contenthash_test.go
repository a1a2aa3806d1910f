package contenthash_test

import (
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/contenthash"
)

type pair struct{ A, B string }

type holder struct {
	P    *pair
	List []int
	At   time.Time
}

func mustHash(t *testing.T, v any) uint64 {
	t.Helper()
	h, ok := contenthash.Of(v)
	if !ok {
		t.Fatalf("%#v cannot be hashed", v)
	}
	return h
}

// TestOfTellsValuesApart: values that print alike but hold different
// things hash differently; equal values hash alike.
func TestOfTellsValuesApart(t *testing.T) {
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	distinct := []any{
		pair{"ab", "c"}, pair{"a", "bc"}, pair{"", "abc"},
		holder{}, holder{P: &pair{}}, holder{List: []int{}}, holder{List: []int{0}},
		holder{At: at}, holder{At: at.UTC()}, holder{At: at.Add(time.Nanosecond)},
		// Long strings go to the digest past the buffer.
		pair{strings.Repeat("x", 300), "y"}, pair{strings.Repeat("x", 299), "xy"},
	}
	seen := map[uint64]int{}
	for i, v := range distinct {
		h := mustHash(t, v)
		if j, ok := seen[h]; ok {
			t.Errorf("%#v hashes as %#v", v, distinct[j])
		}
		seen[h] = i
		if again := mustHash(t, v); again != h {
			t.Errorf("%#v hashed twice: %x, then %x", v, h, again)
		}
	}
	if a, b := mustHash(t, &pair{"x", "y"}), mustHash(t, &pair{"x", "y"}); a != b {
		t.Errorf("equal values behind two pointers: %x and %x", a, b)
	}
}

// TestOfRefusesWhatItCannotHash: a map, an interface or a func is not
// hashed, so an answer made from one is never kept.
func TestOfRefusesWhatItCannotHash(t *testing.T) {
	for _, v := range []any{
		map[string]int{"a": 1},
		struct{ V any }{V: 1},
		struct{ F func() }{},
	} {
		if _, ok := contenthash.Of(v); ok {
			t.Errorf("%#v hashed", v)
		}
	}
}
