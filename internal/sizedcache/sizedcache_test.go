package sizedcache_test

import (
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/newsdesk/newsdesk/internal/sizedcache"
)

func newCache(limit, maxValue int64) *sizedcache.Cache[string, *string] {
	return sizedcache.New[string](limit, maxValue, func(v *string) int64 { return int64(len(*v)) })
}

func val(n int) *string { s := strings.Repeat("x", n); return &s }

// TestAScanDoesNotFlushWhatIsAskedFor: values asked for again and again
// stay while ten times the cache's size of others pass through once each
// (a crawler's walk), where a least-recently-used cache would have
// dropped every one of them; the bytes held stay within the limit and
// are counted once for a value replaced.
func TestAScanDoesNotFlushWhatIsAskedFor(t *testing.T) {
	const limit, size = 10_000, 100
	c := newCache(limit, limit)
	hot := make([]string, 50) // half the cache
	for i := range hot {
		hot[i] = "hot-" + strconv.Itoa(i)
		c.Add(hot[i], val(size))
	}
	for range 5 {
		for _, k := range hot {
			if _, ok := c.Get(k); !ok {
				t.Fatalf("%s dropped before any scan", k)
			}
		}
	}
	for i := range 10 * limit / size {
		k := "scan-" + strconv.Itoa(i)
		c.Add(k, val(size))
		c.Get(k)
		if b := c.Bytes(); b > limit {
			t.Fatalf("holds %d bytes after %d scanned, limit %d", b, i+1, limit)
		}
	}
	kept := 0
	for _, k := range hot {
		if _, ok := c.Get(k); ok {
			kept++
		}
	}
	if kept < len(hot)*9/10 {
		t.Errorf("%d of the %d values asked for six times each kept after the scan, want at least 90%%", kept, len(hot))
	}
	held := c.Bytes()
	c.Add(hot[0], val(size/2))
	if b := c.Bytes(); b != held-size/2 {
		t.Errorf("after replacing a value with one of half its size: %d bytes, want %d", b, held-size/2)
	}
}

// TestTooLargeNotKept: a value over maxValue is refused and evicts nothing.
func TestTooLargeNotKept(t *testing.T) {
	c := newCache(100, 20)
	c.Add("a", val(20))
	c.Add("big", val(21))
	if _, ok := c.Get("big"); ok {
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
	held := c.Bytes()
	var sum int64
	for k := range 40 {
		if v, ok := c.Get(string(rune('a' + k))); ok {
			sum += int64(len(*v))
		}
	}
	if sum != held {
		t.Errorf("values held add up to %d bytes, the count says %d", sum, held)
	}
}

// TestDroppedReported: NewDropping reports each value pushed out for
// room, removed or refused, and not one replaced under its key, which Add
// returns instead.
func TestDroppedReported(t *testing.T) {
	var dropped []string
	c := sizedcache.NewDropping[string](100, 50, func(v *string) int64 { return int64(len(*v)) },
		func(k string, v *string) { dropped = append(dropped, k+"="+strconv.Itoa(len(*v))) })
	first := val(10)
	c.Add("a", first)
	if old, replaced := c.Add("a", val(8)); !replaced || old != first {
		t.Errorf("replacing a returned %v, %v; want the value it replaced", old, replaced)
	}
	c.Add("big", val(51))
	c.Add("b", val(3))
	c.Remove("b", nil) // not what b holds: nothing removed
	v, _ := c.Get("b")
	c.Remove("b", v)
	for i := range 20 { // 200 bytes through 100: some pushed out
		c.Add("k"+strconv.Itoa(i), val(10))
	}
	if len(dropped) < 2 || dropped[0] != "big=51" || dropped[1] != "b=3" {
		t.Fatalf("dropped %q, want big=51 (refused), b=3 (removed), then those pushed out for room", dropped)
	}
	pushed := map[string]bool{}
	for _, d := range dropped[2:] {
		if d == "a=10" || pushed[d] {
			t.Errorf("dropped %q: the value replaced, or one reported twice", dropped)
		}
		pushed[d] = true
	}
	keys := []string{"a"}
	for i := range 20 {
		keys = append(keys, "k"+strconv.Itoa(i))
	}
	held := 0
	for _, k := range keys {
		if _, ok := c.Get(k); ok {
			held++
		}
	}
	if len(pushed)+held != 21 || len(pushed) == 0 {
		t.Errorf("%d values reported pushed out and %d held of the 21 kept: want all, and some pushed out", len(pushed), held)
	}
}
