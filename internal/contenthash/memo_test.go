package contenthash_test

import (
	"reflect"
	"runtime"
	"strconv"
	"testing"

	"github.com/newsdesk/newsdesk/internal/contenthash"
)

// shown is what a memo's hashes are keyed by: a holder of a shared pair.
type shown struct {
	Shared *pair
	Own    *holder
}

func memoHash(t *testing.T, m *contenthash.Memo, v any) uint64 {
	t.Helper()
	h := m.NewHasher()
	if !h.Value(reflect.ValueOf(v)) {
		t.Fatalf("%#v cannot be hashed", v)
	}
	return h.Sum()
}

// TestMemoHashesSharedValuesOnce: a shared value is hashed once, by
// pointer (a change after that goes unseen, which is why only values
// never changed may be shared), while values of other types are hashed
// each time; equal values behind other pointers hash alike.
func TestMemoHashesSharedValuesOnce(t *testing.T) {
	m := contenthash.NewMemo(16, reflect.TypeFor[pair]())
	p, own := &pair{"a", "b"}, &holder{List: []int{1}}
	first := memoHash(t, m, shown{Shared: p, Own: own})
	p.A = "changed"
	if again := memoHash(t, m, shown{Shared: p, Own: own}); again != first {
		t.Errorf("the shared value was hashed again: %x, then %x", first, again)
	}
	own.List[0] = 2
	if again := memoHash(t, m, shown{Shared: p, Own: own}); again == first {
		t.Error("a value of a type not shared was taken from the memo")
	}
	own.List[0] = 1
	if other := memoHash(t, m, shown{Shared: &pair{"a", "b"}, Own: own}); other != first {
		t.Errorf("equal values behind two pointers: %x and %x", first, other)
	}
	if other := memoHash(t, m, shown{Shared: &pair{"a", "c"}, Own: own}); other == first {
		t.Error("different shared values hash alike")
	}
	if null := memoHash(t, m, shown{Own: own}); null == first {
		t.Error("a nil pointer hashes as a value")
	}
}

// TestMemoNeverTakesANewValueForACollectedOne: values the garbage
// collector took leave their addresses to new ones; each new value is
// hashed as what it holds, never as the one before it at its address.
func TestMemoNeverTakesANewValueForACollectedOne(t *testing.T) {
	m := contenthash.NewMemo(1<<16, reflect.TypeFor[pair]())
	seen := map[uint64]string{}
	for i := range 20_000 {
		v := strconv.Itoa(i)
		h := memoHash(t, m, &pair{A: v})
		if was, ok := seen[h]; ok {
			t.Fatalf("pair %s hashed as pair %s", v, was)
		}
		seen[h] = v
		if i%1000 == 0 {
			runtime.GC()
		}
	}
}
