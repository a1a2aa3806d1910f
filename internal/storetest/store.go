package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

func testArticleBySlug(t *testing.T, b Backend) {
	db := b.OpenDemo(t, Options{})
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		a, err := db.ArticleBySlug(ctx, seedSlug)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := a.Title, "Sở Thông tin và Truyền thông tập huấn công tác thông tin đối ngoại"; got != want {
			t.Errorf("title = %q, want %q", got, want)
		}
		if got, want := a.PublishedAt.Format("02/01/2006 15:04 -07:00"), "10/10/2025 09:30 +07:00"; got != want {
			t.Errorf("published = %s, want %s (Asia/Ho_Chi_Minh)", got, want)
		}
		if a.Cover == nil || a.Cover.Caption != "Nhà báo Lê Nghiêm, Phó Viện trưởng Viện ứng dụng công nghệ TT-TT truyền đạt các nội dung tập huấn" {
			t.Errorf("cover = %+v, want the page's photo caption", a.Cover)
		}
		if a.WordCount < 100 || a.ReadingMinutes < 1 {
			t.Errorf("word count %d, reading minutes %d: not derived", a.WordCount, a.ReadingMinutes)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := db.ArticleBySlug(ctx, "khong-co-bai-nay")
		if code := news.ErrorCode(err); code != news.ENOTFOUND {
			t.Errorf("code = %q, want %q", code, news.ENOTFOUND)
		}
	})
}

// testListBodies checks that a list reads every field of its articles as
// a lookup by slug does, the bodies only when asked for them.
func testListBodies(t *testing.T, b Backend) {
	db := b.OpenDemo(t, Options{})
	ctx := context.Background()
	for _, withBody := range []bool{false, true} {
		l, err := db.FindArticles(ctx, news.ArticleFilter{}, news.Page{Limit: 50, WithBody: withBody})
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Items) < 2 {
			t.Fatalf("the demo lists %d articles", len(l.Items))
		}
		for _, got := range l.Items {
			want, err := db.ArticleBySlug(ctx, got.Slug)
			if err != nil {
				t.Fatal(err)
			}
			if want.BodyHTML == "" || want.BodyText == "" {
				t.Fatalf("%s has no body to compare", want.Slug)
			}
			if !withBody {
				// A copy: what a store returns may be shared with its caches.
				bare := *want
				bare.BodyHTML, bare.BodyText = "", ""
				want = &bare
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("listed (bodies %v):\n%+v\nby slug:\n%+v", withBody, got, want)
			}
		}
	}
}

// testScheduledBecomesVisible moves the store's clock past a scheduled
// publish time: no job runs, the query compares with now.
func testScheduledBecomesVisible(t *testing.T, b Backend) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	db := b.OpenDemo(t, Options{Now: func() time.Time { return now }})
	ctx := context.Background()
	const slug = "cong-bo-quy-hoach-phan-khu-do-thi-moi-phia-nam-thanh-pho"
	filter := news.ArticleFilter{Category: "do-thi"}

	if _, err := db.ArticleBySlug(ctx, slug); news.ErrorCode(err) != news.ENOTFOUND {
		t.Fatalf("scheduled article before its time: err = %v, want NOT_FOUND", err)
	}
	before, err := db.CountArticles(ctx, filter)
	if err != nil {
		t.Fatal(err)
	}
	now = time.Date(2030, 1, 1, 1, 0, 0, 0, time.UTC) // 08:00 in Hải Phòng
	if _, err := db.ArticleBySlug(ctx, slug); err != nil {
		t.Fatalf("scheduled article at its time: %v", err)
	}
	after, err := db.CountArticles(ctx, filter)
	if err != nil {
		t.Fatal(err)
	}
	if after != before+1 {
		t.Errorf("category count after publish time = %d, want %d", after, before+1)
	}
}

func testDraftsInvisible(t *testing.T, b Backend) {
	db := b.OpenDemo(t, Options{})
	ctx := context.Background()
	for _, slug := range []string{
		"kinh-te-bien-tiep-tuc-la-dong-luc-tang-truong-cua-thanh-pho",
		"cang-hai-phong-don-tau-container-trong-tai-lon",
		"trien-khai-chien-dich-tiem-vac-xin-soi-cho-tre-em",
	} {
		if _, err := db.ArticleBySlug(ctx, slug); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("draft %s: err = %v, want NOT_FOUND", slug, err)
		}
	}
	n, err := db.CountArticles(ctx, news.ArticleFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if n != 40 {
		t.Errorf("visible articles = %d, want 40 (44 less 3 drafts and 1 scheduled)", n)
	}
	l, err := db.FindArticles(ctx, news.ArticleFilter{}, news.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range l.Items {
		if a.Status != news.StatusPublished || a.PublishedAt.After(time.Now()) {
			t.Errorf("list has %s (%s, %s)", a.Slug, a.Status, a.PublishedAt)
		}
	}
}

func testFindArticlesFilters(t *testing.T, b Backend) {
	db := b.OpenDemo(t, Options{})
	ctx := context.Background()
	all, err := db.FindArticles(ctx, news.ArticleFilter{}, news.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	cats, err := db.Categories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	catSlug := map[int64]string{}
	parent := map[int64]int64{}
	for _, c := range cats {
		catSlug[c.ID] = c.Slug
		parent[c.ID] = c.ParentID
	}
	ids := make([]int64, len(all.Items))
	for i, a := range all.Items {
		ids[i] = a.ID
	}
	authors, tags, err := db.LinksOfArticles(ctx, ids, allLinks)
	if err != nil {
		t.Fatal(err)
	}
	inCategory := func(a *news.Article, slug string) bool {
		for id := a.CategoryID; id != 0; id = parent[id] {
			if catSlug[id] == slug {
				return true
			}
		}
		return false
	}
	hasTag := func(a *news.Article, slug string) bool {
		for _, t := range tags[a.ID] {
			if t.Slug == slug {
				return true
			}
		}
		return false
	}
	byAuthor := func(a *news.Article, slug string) bool {
		for _, au := range authors[a.ID] {
			if au.Slug == slug {
				return true
			}
		}
		return false
	}
	from := time.Date(2025, 12, 5, 0, 0, 0, 0, news.DefaultZone)
	to := time.Date(2025, 12, 6, 0, 0, 0, 0, news.DefaultZone)
	tests := []struct {
		name   string
		filter news.ArticleFilter
		match  func(*news.Article) bool
		min    int
	}{
		{"category with sub-categories", news.ArticleFilter{Category: "thoi-su"},
			func(a *news.Article) bool { return inCategory(a, "thoi-su") }, 10},
		{"sub-category", news.ArticleFilter{Category: "chinh-tri"},
			func(a *news.Article) bool { return inCategory(a, "chinh-tri") }, 4},
		{"tag", news.ArticleFilter{Tag: "hai-phong"},
			func(a *news.Article) bool { return hasTag(a, "hai-phong") }, 6},
		{"author", news.ArticleFilter{Author: "hoang-duc"},
			func(a *news.Article) bool { return byAuthor(a, "hoang-duc") }, 2},
		{"dates", news.ArticleFilter{PublishedAfter: from, PublishedBefore: to},
			func(a *news.Article) bool { return !a.PublishedAt.Before(from) && a.PublishedAt.Before(to) }, 6},
		{"tag and category", news.ArticleFilter{Tag: "hai-phong", Category: "thoi-su"},
			func(a *news.Article) bool { return hasTag(a, "hai-phong") && inCategory(a, "thoi-su") }, 2},
		{"author and tag and category", news.ArticleFilter{Author: "thu-ha", Tag: "hai-phong", Category: "du-lich"},
			func(a *news.Article) bool {
				return byAuthor(a, "thu-ha") && hasTag(a, "hai-phong") && inCategory(a, "du-lich")
			}, 0},
		{"unknown slug", news.ArticleFilter{Tag: "khong-co"}, func(*news.Article) bool { return false }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := map[int64]bool{}
			for _, a := range all.Items {
				if tt.match(a) {
					want[a.ID] = true
				}
			}
			if len(want) < tt.min {
				t.Fatalf("demo content has %d matches, test expects at least %d", len(want), tt.min)
			}
			got, err := db.FindArticles(ctx, tt.filter, news.Page{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Items) != len(want) {
				t.Errorf("got %d articles, want %d", len(got.Items), len(want))
			}
			for i, a := range got.Items {
				if !want[a.ID] {
					t.Errorf("got %s, which does not match", a.Slug)
				}
				if i > 0 && news.ArticleCursor(got.Items[i-1]).Time < news.ArticleCursor(a).Time {
					t.Errorf("not newest first at %d", i)
				}
			}
			n, err := db.CountArticles(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if n != len(want) {
				t.Errorf("count = %d, want %d", n, len(want))
			}
		})
	}
}

// testPagination walks the whole list forward and backward in pages of
// several sizes and checks that the walks see every article once, in order.
func testPagination(t *testing.T, b Backend) {
	db := b.OpenDemo(t, Options{})
	ctx := context.Background()
	all, err := db.FindArticles(ctx, news.ArticleFilter{}, news.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if all.HasNext || all.HasPrevious {
		t.Errorf("one page of everything: hasNext %v hasPrevious %v, want false false", all.HasNext, all.HasPrevious)
	}
	for _, size := range []int{1, 3, 7, 40} {
		var forward []int64
		p := news.Page{Limit: size}
		for pages := 0; ; pages++ {
			l, err := db.FindArticles(ctx, news.ArticleFilter{}, p)
			if err != nil {
				t.Fatal(err)
			}
			if pages > 0 && !l.HasPrevious {
				t.Errorf("size %d page %d: hasPrevious false after a cursor", size, pages)
			}
			for _, a := range l.Items {
				forward = append(forward, a.ID)
			}
			if !l.HasNext {
				break
			}
			c := news.ArticleCursor(l.Items[len(l.Items)-1])
			p.After = &c
		}
		var backward []int64
		p = news.Page{Limit: size, Backward: true}
		for {
			l, err := db.FindArticles(ctx, news.ArticleFilter{}, p)
			if err != nil {
				t.Fatal(err)
			}
			ids := make([]int64, len(l.Items))
			for i, a := range l.Items {
				ids[i] = a.ID
			}
			backward = append(ids, backward...)
			if !l.HasPrevious {
				break
			}
			c := news.ArticleCursor(l.Items[0])
			p.Before = &c
		}
		for name, walk := range map[string][]int64{"forward": forward, "backward": backward} {
			if len(walk) != len(all.Items) {
				t.Fatalf("size %d %s: %d articles, want %d", size, name, len(walk), len(all.Items))
			}
			for i, id := range walk {
				if id != all.Items[i].ID {
					t.Fatalf("size %d %s: position %d is %d, want %d", size, name, i, id, all.Items[i].ID)
				}
			}
		}
	}
}

func testRelatedNeverSelf(t *testing.T, b Backend) {
	db := b.OpenDemo(t, Options{})
	ctx := context.Background()
	all, err := db.FindArticles(ctx, news.ArticleFilter{}, news.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range all.Items {
		ids, err := db.RelatedArticleIDs(ctx, a.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) == 0 {
			t.Errorf("%s: no related articles", a.Slug)
		}
		visible, err := db.ArticlesByID(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int64]bool{}
		for _, id := range ids {
			if id == a.ID {
				t.Errorf("%s is related to itself", a.Slug)
			}
			if seen[id] {
				t.Errorf("%s: related %d twice", a.Slug, id)
			}
			seen[id] = true
			if visible[id] == nil {
				t.Errorf("%s: related %d is not visible", a.Slug, id)
			}
		}
	}
}

func testCreateArticle(t *testing.T, b Backend) {
	db := b.OpenDemo(t, Options{})
	ctx := context.Background()
	cat, err := db.Categories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	author, err := db.AuthorBySlug(ctx, "hoang-duc")
	if err != nil {
		t.Fatal(err)
	}
	newArticle := func() *news.Article {
		return &news.Article{
			Title:       "  Phạt 45 triệu đồng 1 y sĩ ở phường Dương Kinh khám chữa bệnh không phép ",
			BodyHTML:    `<p>Nội dung</p><script>alert(1)</script>`,
			Status:      news.StatusPublished,
			PublishedAt: time.Now().Add(-time.Minute),
			CategoryID:  cat[0].ID,
			AuthorIDs:   []int64{author.ID},
		}
	}
	t.Run("SlugMadeUnique", func(t *testing.T) {
		for _, want := range []string{
			"phat-45-trieu-dong-1-y-si-o-phuong-duong-kinh-kham-chua-benh-khong-phep-2",
			"phat-45-trieu-dong-1-y-si-o-phuong-duong-kinh-kham-chua-benh-khong-phep-3",
		} {
			a := newArticle()
			if err := db.ImportArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
			if a.Slug != want {
				t.Errorf("slug = %q, want %q", a.Slug, want)
			}
			got, err := db.ArticleBySlug(ctx, want)
			if err != nil {
				t.Fatal(err)
			}
			if got.BodyHTML != "<p>Nội dung</p>" || got.BodyText != "Nội dung" {
				t.Errorf("stored body %q / %q, want sanitised <p>Nội dung</p> / Nội dung", got.BodyHTML, got.BodyText)
			}
			if got.Title != "Phạt 45 triệu đồng 1 y sĩ ở phường Dương Kinh khám chữa bệnh không phép" {
				t.Errorf("title not cleaned: %q", got.Title)
			}
		}
	})
	t.Run("ErrSlugTaken", func(t *testing.T) {
		a := newArticle()
		a.Slug = seedSlug
		if err := db.ImportArticle(ctx, a); news.ErrorCode(err) != news.ECONFLICT {
			t.Errorf("err = %v, want CONFLICT", err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for name, mutate := range map[string]func(*news.Article){
			"blank title":      func(a *news.Article) { a.Title = "  " },
			"unknown category": func(a *news.Article) { a.CategoryID = 9999 },
			"unknown author":   func(a *news.Article) { a.AuthorIDs = []int64{9999} },
			"no author":        func(a *news.Article) { a.AuthorIDs = nil },
			"bad slug":         func(a *news.Article) { a.Slug = "Hải Phòng" },
			"bad cover url":    func(a *news.Article) { a.Cover = &news.Image{URL: "javascript:alert(1)"} },
			"no publish time":  func(a *news.Article) { a.PublishedAt = time.Time{} },
		} {
			a := newArticle()
			mutate(a)
			if err := db.ImportArticle(ctx, a); news.ErrorCode(err) != news.EINVALID {
				t.Errorf("%s: err = %v, want BAD_USER_INPUT", name, err)
			}
		}
	})
}

func testTaxonomy(t *testing.T, b Backend) {
	db := b.OpenDemo(t, Options{})
	ctx := context.Background()
	cats, err := db.Categories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	top, children := 0, 0
	for _, c := range cats {
		if c.ParentID == 0 {
			top++
		} else {
			children++
		}
	}
	if top != 6 || children < 2 {
		t.Errorf("categories: %d top-level, %d children; want 6 and at least 2", top, children)
	}
	if err := db.CreateCategory(ctx, &news.Category{Name: "Thời sự"}); news.ErrorCode(err) != news.ECONFLICT {
		t.Errorf("duplicate category: err = %v, want CONFLICT", err)
	}
	if err := db.CreateCategory(ctx, &news.Category{Name: "Mới", ParentID: 999}); news.ErrorCode(err) != news.EINVALID {
		t.Errorf("unknown parent: err = %v, want BAD_USER_INPUT", err)
	}
	tag := &news.Tag{Name: "Đường sắt đô thị"}
	if err := db.CreateTag(ctx, tag); err != nil {
		t.Fatal(err)
	}
	if tag.Slug != "duong-sat-do-thi" {
		t.Errorf("tag slug = %q, want duong-sat-do-thi", tag.Slug)
	}
	got, err := db.TagBySlug(ctx, "duong-sat-do-thi")
	if err != nil || got.Name != "Đường sắt đô thị" {
		t.Errorf("TagBySlug = %+v, %v", got, err)
	}
	if _, err := db.AuthorBySlug(ctx, "khong-co"); news.ErrorCode(err) != news.ENOTFOUND {
		t.Errorf("unknown author: err = %v, want NOT_FOUND", err)
	}
	// Walk the tags by slug, three at a time.
	var slugs []string
	p := news.Page{Limit: 3}
	for {
		l, err := db.FindTags(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, tg := range l.Items {
			slugs = append(slugs, tg.Slug)
		}
		if !l.HasNext {
			break
		}
		p.After = &news.Cursor{Slug: l.Items[len(l.Items)-1].Slug}
	}
	if len(slugs) != 29 {
		t.Errorf("walked %d tags, want 29", len(slugs))
	}
	for i := 1; i < len(slugs); i++ {
		if slugs[i-1] >= slugs[i] {
			t.Errorf("tags out of order: %s before %s", slugs[i-1], slugs[i])
		}
	}
}

// testReopen checks that what was written is there after the database is
// closed and opened again, and that reopening does not migrate twice.
func testReopen(t *testing.T, b Backend) {
	ctx := context.Background()
	db := b.Open(t, Options{})
	tag := &news.Tag{Name: "Hải Phòng"}
	if err := db.CreateTag(ctx, tag); err != nil {
		t.Fatal(err)
	}
	db = b.Reopen(t, db, Options{})
	if err := db.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := db.TagBySlug(ctx, "hai-phong")
	if err != nil || got.ID != tag.ID {
		t.Errorf("after reopen: %+v, %v; want tag %d", got, err, tag.ID)
	}
}

// testArticleViewBySlug: the one-statement article page (through
// news.ViewBySlug) reads what the separate reads do, bylines and tags in
// order, only the kinds asked for, and its category from the category tree.
func testArticleViewBySlug(t *testing.T, b Backend) {
	db := b.OpenDemo(t, Options{})
	ctx := context.Background()
	v, err := news.ViewBySlug(ctx, db, seedSlug, allLinks)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := db.ArticleBySlug(ctx, seedSlug)
	authors, tags, err := db.LinksOfArticles(ctx, []int64{a.ID}, allLinks)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(v.Article, a) || !reflect.DeepEqual(v.Authors, authors[a.ID]) || !reflect.DeepEqual(v.Tags, tags[a.ID]) {
		t.Errorf("view %+v %+v %+v\nwant %+v %+v %+v", v.Article, v.Authors, v.Tags, a, authors[a.ID], tags[a.ID])
	}
	if len(v.Authors) == 0 || len(v.Tags) == 0 {
		t.Error("no authors or tags")
	}
	tree, err := db.CategoryTree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := tree.ByID(a.CategoryID); want == nil || v.Category != want || v.Category.Slug != "chinh-tri" {
		t.Errorf("view's category %+v, want %+v (chinh-tri)", v.Category, want)
	}
	if only, err := db.ArticleViewBySlug(ctx, seedSlug, news.ViewParts{Authors: true}); err != nil ||
		!reflect.DeepEqual(only.Authors, authors[a.ID]) || only.Tags != nil {
		t.Errorf("authors alone: %+v %+v, %v; want the authors and no tags", only.Authors, only.Tags, err)
	}
	if _, err := db.ArticleViewBySlug(ctx, "kinh-te-bien-tiep-tuc-la-dong-luc-tang-truong-cua-thanh-pho", allLinks); news.ErrorCode(err) != news.ENOTFOUND {
		t.Errorf("a draft: %v", err)
	}
	if v, err := db.Preview().ArticleViewBySlug(ctx, "kinh-te-bien-tiep-tuc-la-dong-luc-tang-truong-cua-thanh-pho", allLinks); err != nil || v.Status != news.StatusDraft {
		t.Errorf("a draft in preview: %v", err)
	}
	// The id alone, by the same visibility rule.
	if id, err := db.ArticleIDBySlug(ctx, seedSlug); err != nil || id != a.ID {
		t.Errorf("ArticleIDBySlug = %d, %v; want %d", id, err, a.ID)
	}
	const draft = "kinh-te-bien-tiep-tuc-la-dong-luc-tang-truong-cua-thanh-pho"
	if _, err := db.ArticleIDBySlug(ctx, draft); news.ErrorCode(err) != news.ENOTFOUND {
		t.Errorf("the id of a draft: %v", err)
	}
	if id, err := db.Preview().ArticleIDBySlug(ctx, draft); err != nil || id == 0 {
		t.Errorf("the id of a draft in preview: %d, %v", id, err)
	}
}
