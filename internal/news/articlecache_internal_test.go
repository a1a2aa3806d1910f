package news

import (
	"strconv"
	"testing"
)

// TestArticleCacheSlugsLeaveWithTheirArticles: the slugs kept are those of
// the articles the LRU holds, so that they stay within its bound; an
// older generation's read keeps nothing; a slug renamed away finds
// nothing.
func TestArticleCacheSlugsLeaveWithTheirArticles(t *testing.T) {
	c := NewArticleCache(64 << 10)
	for i := range int64(1000) {
		c.Put(2, &Article{ID: i + 1, Slug: "bai-" + strconv.FormatInt(i+1, 10), Title: "Tiêu đề"}, &LinkIDs{}, false)
	}
	held := 0
	for i := range int64(1000) {
		if _, _, ok := c.Get(2, i+1, false); ok {
			held++
		}
	}
	if held == 0 || held == 1000 || len(c.slugs) != held {
		t.Errorf("%d articles held, %d slugs kept: want as many, fewer than the 1,000 put", held, len(c.slugs))
	}

	c.Put(1, &Article{ID: 1000, Slug: "cu", Title: "Cũ"}, &LinkIDs{}, false)
	if a, _, ok := c.Get(2, 1000, false); !ok || a.Slug != "bai-1000" {
		t.Errorf("a read of generation 1 replaced generation 2's article: %+v", a)
	}
	c.Put(2, &Article{ID: 1000, Slug: "moi", Title: "Mới"}, &LinkIDs{}, true)
	if _, _, ok := c.BySlug(2, "bai-1000"); ok {
		t.Error("the old slug still finds the renamed article")
	}
	if a, _, ok := c.BySlug(2, "moi"); !ok || a.Title != "Mới" {
		t.Errorf("by the new slug: %+v, %v", a, ok)
	}
}
