package news

import (
	"context"
	"testing"
)

// The cache loads only what it lacks, forgets everything when the
// generation moves, and never lets a read made under an older generation
// replace what a newer one stored.
func TestLinkCache(t *testing.T) {
	ctx := context.Background()
	var c LinkCache
	var loads [][]int64
	names := map[int64]string{1: "An", 2: "Bình", 3: "Chi"}
	load := func(_ context.Context, ids []int64) (map[int64]*Author, error) {
		loads = append(loads, ids)
		out := map[int64]*Author{}
		for _, id := range ids {
			if n, ok := names[id]; ok {
				out[id] = &Author{ID: id, Name: n}
			}
		}
		return out, nil
	}
	got, _ := c.Authors(ctx, 1, []int64{1, 2, 2, 9}, load)
	if len(got) != 2 || got[1].Name != "An" || got[2].Name != "Bình" || len(loads) != 1 || len(loads[0]) != 3 {
		t.Fatalf("first read: %v, loads %v (want ids 1, 2, 9 loaded once, 9 absent)", got, loads)
	}
	c.Authors(ctx, 1, []int64{1, 2}, load)
	if len(loads) != 1 {
		t.Errorf("a second read of cached ids loaded %v", loads[1:])
	}
	names[1] = "An (sửa)"
	got, _ = c.Authors(ctx, 2, []int64{1}, load)
	if got[1].Name != "An (sửa)" || len(loads) != 2 {
		t.Errorf("after a write: %v, loads %v", got[1], loads)
	}
	names[1] = "An (cũ)"
	c.Authors(ctx, 1, []int64{1, 3}, load) // a slow reader from before the write
	got, _ = c.Authors(ctx, 2, []int64{1}, load)
	if got[1].Name != "An (sửa)" {
		t.Errorf("an older generation's read replaced the newer: %v", got[1])
	}
	links, _, err := c.Resolve(ctx, 2, map[int64]*LinkIDs{7: {Authors: []int64{2, 1}}, 8: {}}, ViewParts{Authors: true}, load,
		func(context.Context, []int64) (map[int64]*Tag, error) {
			t.Error("tags loaded, not asked for")
			return nil, nil
		})
	if err != nil || len(links[7]) != 2 || links[7][0].ID != 2 || links[7][1].ID != 1 || links[8] == nil || len(links[8]) != 0 {
		t.Errorf("resolve: %v, %v (want authors 2 then 1 for article 7, an empty list for 8)", links, err)
	}
}

// Link ids a list remembered are not read again in the same generation;
// a kind not asked for is neither loaded nor returned.
func TestLinkCacheArticleLinks(t *testing.T) {
	ctx := context.Background()
	var c LinkCache
	var idReads [][]int64
	loadIDs := func(_ context.Context, ids []int64) (map[int64]*LinkIDs, error) {
		idReads = append(idReads, ids)
		out := map[int64]*LinkIDs{}
		for _, id := range ids {
			out[id] = &LinkIDs{Authors: []int64{2, 1}, Tags: []int64{7}}
		}
		return out, nil
	}
	loadAuthors := func(_ context.Context, ids []int64) (map[int64]*Author, error) {
		out := map[int64]*Author{}
		for _, id := range ids {
			out[id] = &Author{ID: id, Name: map[int64]string{1: "An", 2: "Bình"}[id]}
		}
		return out, nil
	}
	loadTags := func(context.Context, []int64) (map[int64]*Tag, error) {
		t.Error("tags loaded, not asked for")
		return nil, nil
	}
	// Neither kind asked: nothing read, not even the link ids.
	if authors, tags, err := c.ArticleLinks(ctx, 1, []int64{10, 11}, ViewParts{}, loadIDs, loadAuthors, loadTags); err != nil ||
		len(idReads) != 0 || authors != nil || tags != nil {
		t.Fatalf("no parts: read %v, authors %v, tags %v, err %v (want nothing)", idReads, authors, tags, err)
	}
	c.Remember(1, map[int64]*LinkIDs{10: {Authors: []int64{1}}, 11: {Authors: []int64{2, 1}}})
	authors, tags, err := c.ArticleLinks(ctx, 1, []int64{10, 11}, ViewParts{Authors: true}, loadIDs, loadAuthors, loadTags)
	if err != nil || len(idReads) != 0 || tags != nil {
		t.Fatalf("remembered ids: read %v, tags %v, err %v (want no read and no tags)", idReads, tags, err)
	}
	if len(authors[10]) != 1 || authors[10][0].Name != "An" || len(authors[11]) != 2 || authors[11][0].Name != "Bình" {
		t.Errorf("authors by article: %v", authors)
	}
	// Another generation: the ids are read again, every article gets an
	// entry, in byline order.
	authors, _, err = c.ArticleLinks(ctx, 2, []int64{10, 12}, ViewParts{Authors: true}, loadIDs, loadAuthors, loadTags)
	if err != nil || len(idReads) != 1 || len(idReads[0]) != 2 || len(authors[12]) != 2 || authors[12][0].Name != "Bình" {
		t.Errorf("after a write: id reads %v, authors %v", idReads, authors)
	}
}
