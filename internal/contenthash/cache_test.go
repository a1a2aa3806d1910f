package contenthash_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/newsdesk/newsdesk/internal/contenthash"
)

// TestWrite: a piece is rendered once and copied after that, for its own
// article only; nothing is kept when it may not be, or when rendering
// fails, and a nil cache only renders.
func TestWrite(t *testing.T) {
	c := contenthash.NewCache(1 << 20)
	renders := 0
	write := func(c *contenthash.Cache, key uint64, keep bool, id int64, piece string) string {
		t.Helper()
		out := bytes.NewBufferString("[")
		if err := c.Write(out, key, keep, id, func() error { renders++; out.WriteString(piece); return nil }); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	if got := write(c, 1, true, 7, "a"); got != "[a" || renders != 1 {
		t.Errorf("first write: %q after %d renders", got, renders)
	}
	if got := write(c, 1, true, 7, "b"); got != "[a" || renders != 1 {
		t.Errorf("second write: %q after %d renders, want the kept piece", got, renders)
	}
	if got := write(c, 1, true, 8, "c"); got != "[c" || renders != 2 {
		t.Errorf("another article under the key: %q after %d renders", got, renders)
	}
	if got := write(c, 2, false, 7, "d"); got != "[d" || renders != 3 {
		t.Errorf("keep false: %q after %d renders", got, renders)
	}
	if got := write(c, 2, true, 7, "e"); got != "[e" || renders != 4 {
		t.Errorf("after keep false: %q after %d renders, want a render", got, renders)
	}
	if got := write(nil, 1, true, 7, "f"); got != "[f" || renders != 5 {
		t.Errorf("nil cache: %q after %d renders", got, renders)
	}
	failed := errors.New("failed")
	out := &bytes.Buffer{}
	if err := c.Write(out, 3, true, 7, func() error { out.WriteString("partial"); return failed }); !errors.Is(err, failed) {
		t.Errorf("a failed render returned %v", err)
	}
	if got := write(c, 3, true, 7, "g"); got != "[g" {
		t.Errorf("after a failed render: %q, want a new render", got)
	}
	if hits, misses, _ := c.Stats(); hits != 1 || misses != 5 {
		t.Errorf("hits %d, misses %d; want 1 and 5", hits, misses)
	}
}
