package demo_test

import (
	"context"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/demo"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/sqlite"
	"github.com/newsdesk/newsdesk/internal/sqlite/sqlitetest"
	"github.com/newsdesk/newsdesk/internal/vntext"
	"golang.org/x/text/unicode/norm"
)

// The titles printed on the sample page in shared/content.
var samplePage = []string{
	"Sở Thông tin và Truyền thông tập huấn công tác thông tin đối ngoại",
	"Sức sống nghệ thuật đường phố Hải Phòng",
	"Khám phá khu rừng cổ quanh chùa Thanh Mai",
	"Giao hơn 8,1 ha đất ‘vàng’ Nhà máy Sứ Hải Dương (cũ) cho chủ đầu tư thực hiện dự án nhà ở",
	"Mong mỏi tuyến xe buýt kết nối giao thông thành phố",
	"Hải Phòng hỗ trợ mỗi thanh niên nhập ngũ 10 triệu đồng",
	"Phạt 45 triệu đồng 1 y sĩ ở phường Dương Kinh khám chữa bệnh không phép",
}

func TestContentShape(t *testing.T) {
	c, err := demo.Load()
	if err != nil {
		t.Fatal(err)
	}
	published, drafts, haiPhong := 0, 0, 0
	titles := map[string]bool{}
	for _, a := range c.Articles {
		titles[a.Title] = true
		switch a.Status {
		case news.StatusPublished:
			published++
		case news.StatusDraft:
			drafts++
		}
		if strings.Contains(a.Title, "Hải Phòng") {
			haiPhong++
		}
		if !norm.NFC.IsNormalString(a.Title + a.Excerpt + a.BodyHTML) {
			t.Errorf("%q is not NFC", a.Title)
		}
	}
	for _, title := range samplePage {
		if !titles[title] {
			t.Errorf("sample page story missing: %q", title)
		}
	}
	top, sub := 0, 0
	for _, cat := range c.Categories {
		if cat.Parent == "" {
			top++
		} else {
			sub++
		}
		if cat.Slug != vntext.Slugify(cat.Name) {
			t.Errorf("category %q has slug %q, want %q", cat.Name, cat.Slug, vntext.Slugify(cat.Name))
		}
	}
	for _, a := range c.Authors {
		if a.Slug != vntext.Slugify(a.Name) {
			t.Errorf("author %q has slug %q", a.Name, a.Slug)
		}
	}
	for _, tg := range c.Tags {
		if tg.Slug != vntext.Slugify(tg.Name) {
			t.Errorf("tag %q has slug %q", tg.Name, tg.Slug)
		}
	}
	if published < 40 || drafts < 2 || top != 6 || sub < 2 || len(c.Authors) != 6 || len(c.Tags) < 15 || haiPhong < 4 {
		t.Errorf("demo has %d published, %d drafts, %d+%d categories, %d authors, %d tags, %d Hải Phòng titles",
			published, drafts, top, sub, len(c.Authors), len(c.Tags), haiPhong)
	}
}

func TestSeed(t *testing.T) {
	db := sqlitetest.Open(t, sqlite.Options{})
	ctx := context.Background()
	seeded, err := demo.SeedIfEmpty(ctx, db)
	if err != nil || !seeded {
		t.Fatalf("SeedIfEmpty on an empty database = %v, %v; want true, nil", seeded, err)
	}
	for _, title := range samplePage {
		if _, err := db.ArticleBySlug(ctx, vntext.Slugify(title)); err != nil {
			t.Errorf("%q not found by its slug %s: %v", title, vntext.Slugify(title), err)
		}
	}
	if seeded, err := demo.SeedIfEmpty(ctx, db); err != nil || seeded {
		t.Errorf("SeedIfEmpty on a seeded database = %v, %v; want false, nil", seeded, err)
	}
}

func TestSynthetic(t *testing.T) {
	db := sqlitetest.Open(t, sqlite.Options{})
	ctx := context.Background()
	var progress []int
	err := demo.Synthetic(ctx, db, demo.SyntheticOptions{N: 300, Seed: 7, Progress: func(done, _ int) { progress = append(progress, done) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(progress) != 1 || progress[0] != 300 {
		t.Errorf("progress calls %v, want [300]", progress)
	}
	l, err := db.FindArticles(ctx, news.ArticleFilter{}, news.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	n, err := db.CountArticles(ctx, news.ArticleFilter{})
	if err != nil || n != 300 {
		t.Fatalf("count = %d, %v; want 300", n, err)
	}
	for _, a := range l.Items {
		if a.WordCount < 200 || a.Title == "" || a.Excerpt == "" || !vntext.IsSlug(a.Slug) {
			t.Errorf("synthetic article %d: %d words, slug %q", a.ID, a.WordCount, a.Slug)
		}
	}
	// A second run appends with fresh slugs.
	if err := demo.Synthetic(ctx, db, demo.SyntheticOptions{N: 50, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.CountArticles(ctx, news.ArticleFilter{Category: "thoi-su"}); n == 0 {
		t.Error("no synthetic article in a parent category's list")
	}
}
