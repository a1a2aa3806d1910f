package news

import (
	"context"
	"errors"
	"testing"
)

// TestCategoryCache: categories are read once per generation, the tree
// indexes what was read, and a failed read is not kept.
func TestCategoryCache(t *testing.T) {
	ctx := context.Background()
	var c CategoryCache
	reads := 0
	fail := false
	load := func(context.Context) ([]*Category, error) {
		reads++
		if fail {
			return nil, errors.New("down")
		}
		return []*Category{{ID: int64(reads), Slug: "thoi-su"}}, nil
	}
	list, tree, err := c.Get(ctx, 1, load)
	if err != nil || len(list) != 1 || tree.ByID(1) == nil || tree.BySlug("thoi-su") == nil {
		t.Fatalf("first read: %v %v %v", list, tree, err)
	}
	if list, _, _ = c.Get(ctx, 1, load); reads != 1 || list[0].ID != 1 {
		t.Errorf("same generation: %d reads, list %v; want 1 read", reads, list)
	}
	fail = true
	if _, _, err := c.Get(ctx, 2, load); err == nil || reads != 2 {
		t.Errorf("a failed read: %v after %d reads", err, reads)
	}
	fail = false
	if list, tree, err = c.Get(ctx, 2, load); err != nil || reads != 3 || list[0].ID != 3 || tree.ByID(3) == nil {
		t.Errorf("next generation after a failure: %v %v, %d reads; want a fresh read", list, err, reads)
	}
}
