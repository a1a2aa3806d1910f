package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// testWarmReadsFollowEdits: a store may keep what it has read while
// nothing is written (the SQLite store's article cache). Every write, and
// the clock passing a publish time, shows on the next read of every kind,
// even when other reads since the write have warmed the store again, and
// a preview read keeps nothing the public then sees early.
func testWarmReadsFollowEdits(t *testing.T, b Backend) {
	now := time.Date(2026, 11, 26, 8, 0, 0, 0, news.DefaultZone)
	db := b.OpenDemo(t, Options{Now: func() time.Time { return now }})
	ctx := context.Background()
	filter := news.ArticleFilter{Category: "do-thi"}
	first, err := db.FindArticles(ctx, filter, news.Page{Limit: 1})
	if err != nil || len(first.Items) != 1 {
		t.Fatalf("first of do-thi: %v, %v", first, err)
	}
	id, slug, updated := first.Items[0].ID, first.Items[0].Slug, first.Items[0].UpdatedAt

	// look reads the story by slug, in its category's list without and
	// with bodies, and by id, twice, each time after reads of another
	// story and of the story as an editor sees it; it returns the titles
	// the public saw the second time ("" for not found).
	type seen struct{ bySlug, listed, listedWithBody, byID string }
	look := func(slug string) seen {
		t.Helper()
		var s seen
		for range 2 {
			s = seen{}
			if _, err := db.ArticleBySlug(ctx, seedSlug); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Preview().ArticleBySlug(ctx, slug); err != nil && news.ErrorCode(err) != news.ENOTFOUND {
				t.Fatal(err)
			}
			switch a, err := db.ArticleBySlug(ctx, slug); {
			case err == nil:
				s.bySlug = a.Title
			case news.ErrorCode(err) != news.ENOTFOUND:
				t.Fatal(err)
			}
			for _, withBody := range []bool{false, true} {
				l, err := db.FindArticles(ctx, filter, news.Page{Limit: 50, WithBody: withBody})
				if err != nil {
					t.Fatal(err)
				}
				for _, a := range l.Items {
					if (a.BodyHTML != "") != withBody {
						t.Errorf("listed with bodies %v: %s has a body of %d bytes", withBody, a.Slug, len(a.BodyHTML))
					}
					if a.ID == id && withBody {
						s.listedWithBody = a.Title
					} else if a.ID == id {
						s.listed = a.Title
					}
				}
			}
			byID, err := db.ArticlesByID(ctx, []int64{id})
			if err != nil {
				t.Fatal(err)
			}
			if a := byID[id]; a != nil {
				s.byID = a.Title
			}
		}
		return s
	}
	expect := func(step, title string) {
		t.Helper()
		if got, want := look(slug), (seen{title, title, title, title}); got != want {
			t.Errorf("%s: the public saw %+v, want %+v", step, got, want)
		}
	}

	expect("before any write", first.Items[0].Title)
	now = now.Add(time.Minute)
	a, err := db.UpdateArticle(ctx, id, updated, news.ArticleUpdate{Title: ptr("Tiêu đề đã sửa")})
	if err != nil {
		t.Fatal(err)
	}
	expect("retitled", "Tiêu đề đã sửa")
	now = now.Add(time.Minute)
	old := slug
	if a, err = db.UpdateArticle(ctx, id, a.UpdatedAt, news.ArticleUpdate{Slug: ptr("duong-moi")}); err != nil {
		t.Fatal(err)
	}
	slug = a.Slug
	expect("given a new address", "Tiêu đề đã sửa")
	if got := look(old); got.bySlug != "" {
		t.Errorf("given a new address: the old one still finds %q", got.bySlug)
	}
	now = now.Add(time.Minute)
	if a, err = db.UnpublishArticle(ctx, id, a.UpdatedAt); err != nil {
		t.Fatal(err)
	}
	expect("unpublished", "")
	now = now.Add(time.Minute)
	if _, err = db.PublishArticle(ctx, id, now.Add(time.Hour), a.UpdatedAt); err != nil {
		t.Fatal(err)
	}
	expect("scheduled", "")
	now = now.Add(2 * time.Hour)
	expect("its publish time passed, no write", "Tiêu đề đã sửa")
}

// testWarmPagesMatchFirstReads: a page read again in a generation (which a
// store may answer from what it kept) is the page it read first: the same
// stories in the same order, the same cursors and the same neighbours,
// forward and backward, for every kind of list.
func testWarmPagesMatchFirstReads(t *testing.T, b Backend) {
	db := b.OpenDemo(t, Options{})
	ctx := context.Background()
	type page struct {
		ids                  []int64
		cursors              []news.Cursor
		hasNext, hasPrevious bool
	}
	read := func(r news.Reader, f news.ArticleFilter, p news.Page) page {
		t.Helper()
		l, err := r.FindArticles(ctx, f, p)
		if err != nil {
			t.Fatal(err)
		}
		got := page{hasNext: l.HasNext, hasPrevious: l.HasPrevious}
		for _, a := range l.Items {
			got.ids = append(got.ids, a.ID)
			got.cursors = append(got.cursors, f.Cursor(a))
		}
		return got
	}
	for _, c := range []struct {
		name string
		r    news.Reader
		f    news.ArticleFilter
	}{
		{"timeline", db, news.ArticleFilter{}},
		{"category", db, news.ArticleFilter{Category: "thoi-su"}},
		{"tag", db, news.ArticleFilter{Tag: "hai-phong"}},
		{"author", db, news.ArticleFilter{Author: "hoang-duc"}},
		{"drafts", db.Preview(), news.ArticleFilter{Status: news.ArticleDraft}},
	} {
		first := read(c.r, c.f, news.Page{Limit: 2})
		if len(first.ids) != 2 {
			t.Fatalf("%s: first page %v", c.name, first.ids)
		}
		mid := first.cursors[1]
		for _, p := range []news.Page{{Limit: 2}, {Limit: 2, After: &mid}, {Limit: 2, Backward: true, Before: &mid}, {Limit: 3, WithBody: true}} {
			cold, warm := read(c.r, c.f, p), read(c.r, c.f, p)
			if !reflect.DeepEqual(cold, warm) {
				t.Errorf("%s, page %+v: read again %+v, first %+v", c.name, p, warm, cold)
			}
		}
	}
}
