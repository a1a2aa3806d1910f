package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/demo"
	"github.com/newsdesk/newsdesk/internal/news"
)

func testRelated(t *testing.T, b Backend) {
	db := b.OpenDemo(t, Options{})
	ctx := context.Background()
	seed, err := db.ArticleBySlug(ctx, seedSlug)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := db.RelatedArticleIDs(ctx, seed.ID, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 5 {
		t.Fatalf("%d related, want 5", len(ids))
	}
	// Every computed story shares a tag or the category with the sample.
	_, tags, err := db.LinksOfArticles(ctx, append([]int64{seed.ID}, ids...), news.ViewParts{Tags: true})
	if err != nil {
		t.Fatal(err)
	}
	found, err := db.ArticlesByID(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		shared := found[id].CategoryID == seed.CategoryID
		for _, a := range tags[seed.ID] {
			for _, b := range tags[id] {
				shared = shared || a.ID == b.ID
			}
		}
		if !shared {
			t.Errorf("related story %d shares neither a tag nor the category with the sample article", id)
		}
	}

	t.Run("PinnedFirst", func(t *testing.T) {
		pinned, err := db.ArticleBySlug(ctx, "vai-thieu-thanh-ha-duoc-mua-duoc-gia")
		if err != nil {
			t.Fatal(err)
		}
		// Pin a story that is also computed: it comes first, once.
		for i, rid := range []int64{pinned.ID, ids[1]} {
			if err := b.Exec(ctx, db, `INSERT INTO article_related (article_id, related_id, position) VALUES (?, ?, ?)`, seed.ID, rid, i); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.RelatedArticleIDs(ctx, seed.ID, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 5 || got[0] != pinned.ID || got[1] != ids[1] || slices.Index(got[2:], ids[1]) >= 0 {
			t.Errorf("related = %v, want %d and %d pinned first, no repeats", got, pinned.ID, ids[1])
		}
	})

	t.Run("UnpublishedLeftOut", func(t *testing.T) {
		if err := b.Exec(ctx, db, `UPDATE articles SET status = 'draft', search_key = NULL WHERE id = ?`, ids[2]); err != nil {
			t.Fatal(err)
		}
		got, err := db.RelatedArticleIDs(ctx, seed.ID, 20)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(got, ids[2]) || slices.Contains(got, seed.ID) {
			t.Errorf("related %v has the draft %d or the article itself", got, ids[2])
		}
	})

	t.Run("NewStoryJoinsNeighbours", func(t *testing.T) {
		cats, _ := db.Categories(ctx)
		var chinhTri int64
		for _, c := range cats {
			if c.Slug == "chinh-tri" {
				chinhTri = c.ID
			}
		}
		tag, err := db.TagBySlug(ctx, "thong-tin-doi-ngoai")
		if err != nil {
			t.Fatal(err)
		}
		bao, err := db.TagBySlug(ctx, "bao-chi")
		if err != nil {
			t.Fatal(err)
		}
		a := &news.Article{
			Title:       "Tập huấn kỹ năng thông tin đối ngoại cho phóng viên",
			Status:      news.StatusPublished,
			PublishedAt: seed.PublishedAt.Add(24 * time.Hour),
			CategoryID:  chinhTri,
			AuthorIDs:   []int64{1},
			TagIDs:      []int64{tag.ID, bao.ID},
		}
		if err := db.ImportArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		got, err := db.RelatedArticleIDs(ctx, seed.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(got, a.ID) {
			t.Errorf("the sample article's related %v misses the new story %d it shares tags with", got, a.ID)
		}
		own, err := db.RelatedArticleIDs(ctx, a.ID, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(own) == 0 || own[0] != seed.ID {
			t.Errorf("the new story's related %v, want the sample article first", own)
		}
	})
}

func testRefreshRelatedAfterBulk(t *testing.T, b Backend) {
	db := b.Open(t, Options{})
	ctx := context.Background()
	if err := demo.Synthetic(ctx, db, demo.SyntheticOptions{N: 400, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	l, err := db.FindArticles(ctx, news.ArticleFilter{}, news.Page{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	recent, err := db.CountArticles(ctx, news.ArticleFilter{PublishedAfter: time.Now().AddDate(0, -6, 0)})
	if err != nil {
		t.Fatal(err)
	}
	n, err := db.RefreshRelated(ctx, time.Now().AddDate(0, -6, 0), nil)
	if err != nil || n != recent || n == 0 || n == 400 {
		t.Fatalf("RefreshRelated(6 months) = %d, %v; want the %d of the last six months", n, err, recent)
	}
	n, err = db.RefreshRelated(ctx, time.Time{}, nil)
	if err != nil || n != 400 {
		t.Fatalf("RefreshRelated(all) = %d, %v; want 400", n, err)
	}
	ids, err := db.RelatedArticleIDs(ctx, l.Items[0].ID, 5)
	if err != nil || len(ids) != 5 {
		t.Errorf("after refresh: %v, %v; want 5 related", ids, err)
	}
}
