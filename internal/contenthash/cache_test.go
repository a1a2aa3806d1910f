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
	for _, step := range []struct {
		name    string
		cache   *contenthash.Cache
		key     uint64
		keep    bool
		id      int64
		piece   string
		want    string
		renders int
	}{
		{"first write", c, 1, true, 7, "a", "[a", 1},
		{"second write, the kept piece", c, 1, true, 7, "b", "[a", 1},
		{"another article under the key", c, 1, true, 8, "c", "[c", 2},
		{"keep false", c, 2, false, 7, "d", "[d", 3},
		{"after keep false, a render", c, 2, true, 7, "e", "[e", 4},
		{"nil cache", nil, 1, true, 7, "f", "[f", 5},
	} {
		if got := write(step.cache, step.key, step.keep, step.id, step.piece); got != step.want || renders != step.renders {
			t.Errorf("%s: %q after %d renders, want %q after %d", step.name, got, renders, step.want, step.renders)
		}
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
