package news

import (
	"strconv"
	"strings"
	"testing"
)

func cacheSlug(id int64) string { return "bai-" + strconv.FormatInt(id, 10) }

// TestArticleCacheBounded: the cache holds no more than its bytes, and
// keeps the slugs of the articles it holds, no others (not of one pushed
// out, nor of one too large to keep), each finding its article.
func TestArticleCacheBounded(t *testing.T) {
	const limit = 64 << 10
	c := NewArticleCache(limit)
	for id := range int64(1000) {
		c.Put(2, &Article{ID: id + 1, Slug: cacheSlug(id + 1), Title: "Tiêu đề", BodyText: "Nội dung"}, &LinkIDs{}, true)
	}
	held, bySlug := 0, 0
	for id := range int64(1000) {
		if _, _, ok := c.Get(2, id+1, true); ok {
			held++
		}
		if a, _, ok := c.BySlug(2, cacheSlug(id+1)); ok {
			bySlug++
			if a.ID != id+1 {
				t.Errorf("slug %s found article %d", cacheSlug(id+1), a.ID)
			}
		}
	}
	if _, _, bytes := c.Stats(); held == 0 || held == 1000 || bySlug == 0 || bytes > limit {
		t.Errorf("%d articles held, %d found by slug, %d bytes: want some, fewer than the 1,000 put, within %d bytes", held, bySlug, bytes, limit)
	}
	c.Put(2, &Article{ID: 5000, Slug: "dai", BodyText: strings.Repeat("x", limit/16)}, &LinkIDs{}, true)
	slugs := 0
	c.slugs.Range(func(any, any) bool { slugs++; return true })
	if slugs != held {
		t.Errorf("%d slugs kept for %d articles held", slugs, held)
	}
}

// TestArticleCacheGenerations: an older generation's read keeps nothing
// over a newer one's; an article out of date is dropped when it is next
// asked for; a slug renamed away finds nothing.
func TestArticleCacheGenerations(t *testing.T) {
	c := NewArticleCache(1 << 20)
	c.Put(3, &Article{ID: 1, Slug: cacheSlug(1), Title: "Mới", BodyText: "Nội dung"}, &LinkIDs{}, true)
	c.Put(2, &Article{ID: 1, Slug: "cu", Title: "Cũ"}, &LinkIDs{}, true)
	if a, _, ok := c.BySlug(3, cacheSlug(1)); !ok || a.Title != "Mới" {
		t.Errorf("a read of generation 2 replaced generation 3's article: %+v, %v", a, ok)
	}
	if _, _, ok := c.BySlug(3, "cu"); ok {
		t.Error("a read of generation 2 was kept after one of generation 3")
	}
	if _, _, ok := c.Get(3, 1, false); !ok {
		t.Error("an article kept with its bodies is not found without them")
	}

	c.Put(3, &Article{ID: 1, Slug: "moi", Title: "Mới"}, &LinkIDs{}, true)
	if _, _, ok := c.BySlug(3, cacheSlug(1)); ok {
		t.Error("the old slug still finds the renamed article")
	}
	if a, _, ok := c.BySlug(3, "moi"); !ok || a.ID != 1 {
		t.Errorf("by the new slug: %+v, %v", a, ok)
	}

	_, _, before := c.Stats()
	if _, _, ok := c.Get(4, 1, true); ok {
		t.Error("generation 3's article found in generation 4")
	}
	if _, _, after := c.Stats(); after > before-articleOverhead {
		t.Errorf("%d bytes held after generation 4 asked for the article of generation 3, %d before: it is out of date for good", after, before)
	}
}
