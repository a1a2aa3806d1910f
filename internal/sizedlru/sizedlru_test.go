package sizedlru_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/newsdesk/newsdesk/internal/sizedlru"
)

func newCache(limit, maxValue int64) *sizedlru.Cache[string, *string] {
	return sizedlru.New[string](limit, maxValue, func(v *string) int64 { return int64(len(*v)) })
}

func val(n int) *string { s := strings.Repeat("x", n); return &s }

// TestLeastRecentlyUsedGoesFirst: past its limit the cache drops the value
// used longest ago, not the one added first, and counts its bytes.
func TestLeastRecentlyUsedGoesFirst(t *testing.T) {
	c := newCache(30, 30)
	c.Add("a", val(10))
	c.Add("b", val(10))
	c.Add("c", val(10))
	c.Get("a") // b is now the least recently used
	c.Add("d", val(10))
	for k, want := range map[string]bool{"a": true, "b": false, "c": true, "d": true} {
		if _, ok := c.Get(k); ok != want {
			t.Errorf("%s kept: %v, want %v", k, ok, want)
		}
	}
	if b := c.Bytes(); b != 30 {
		t.Errorf("holds %d bytes, want 30", b)
	}
	// A value replaced is counted once.
	c.Add("d", val(5))
	if b := c.Bytes(); b != 25 {
		t.Errorf("after replacing d: %d bytes, want 25", b)
	}
}

// TestTooLargeNotKept: a value over maxValue is refused and evicts nothing.
func TestTooLargeNotKept(t *testing.T) {
	c := newCache(100, 20)
	c.Add("a", val(20))
	if c.Add("big", val(21)) {
		t.Error("a value over maxValue was kept")
	}
	if _, ok := c.Get("a"); !ok || c.Bytes() != 20 {
		t.Errorf("a refused value changed the cache: a kept %v, %d bytes", ok, c.Bytes())
	}
}

// TestRemoveOnlyWhatIsStillThere: removing a value that was replaced
// leaves its replacement.
func TestRemoveOnlyWhatIsStillThere(t *testing.T) {
	c := newCache(100, 100)
	old, fresh := val(3), val(4)
	c.Add("k", old)
	c.Add("k", fresh)
	c.Remove("k", old)
	if v, ok := c.Get("k"); !ok || v != fresh {
		t.Fatal("removing the old value dropped the new one")
	}
	c.Remove("k", fresh)
	if _, ok := c.Get("k"); ok || c.Bytes() != 0 {
		t.Errorf("after removing: kept %v, %d bytes", ok, c.Bytes())
	}
}

// TestConcurrentUseStaysWithinLimit: under concurrent adds and gets (run
// with -race) the bytes never pass the limit and match what is held.
func TestConcurrentUseStaysWithinLimit(t *testing.T) {
	c := newCache(1000, 100)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				k := string(rune('a' + (g*31+i)%40))
				c.Add(k, val(10+i%90))
				c.Get(k)
				if b := c.Bytes(); b > 1000 {
					t.Errorf("%d bytes held, limit 1000", b)
					return
				}
			}
		})
	}
	wg.Wait()
	var sum int64
	for k := range 40 {
		if v, ok := c.Get(string(rune('a' + k))); ok {
			sum += int64(len(*v))
		}
	}
	if sum != c.Bytes() {
		t.Errorf("values held add up to %d bytes, the count says %d", sum, c.Bytes())
	}
}

// TestEvictedReported: NewEvicting reports each value dropped for room,
// and not a value replaced under its key.
func TestEvictedReported(t *testing.T) {
	var evicted []string
	c := sizedlru.NewEvicting[string](20, 20, func(v *string) int64 { return int64(len(*v)) },
		func(k string, v *string) { evicted = append(evicted, k+"="+*v) })
	c.Add("a", val(10))
	c.Add("a", val(8)) // replaced, not evicted
	c.Add("b", val(10))
	c.Add("c", val(5))
	if want := []string{"a=xxxxxxxx"}; strings.Join(evicted, ",") != strings.Join(want, ",") {
		t.Errorf("evicted %q, want %q", evicted, want)
	}
}
