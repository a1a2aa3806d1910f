package feed_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/newsdesk/newsdesk/internal/feed"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/server/servertest"
	"github.com/newsdesk/newsdesk/internal/sqlite"
	"github.com/newsdesk/newsdesk/internal/sqlite/sqlitetest"
	"golang.org/x/text/unicode/norm"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestMain(m *testing.M) { sqlitetest.Main(m) }

const seedSlug = "so-thong-tin-va-truyen-thong-tap-huan-cong-tac-thong-tin-doi-ngoai"

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	file := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/feed -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./internal/feed -update rewrites it after a deliberate change):\n%s", name, got)
	}
}

// publishFresh publishes a story at the clock's time, so that the news
// sitemap has something of the last two days.
func publishFresh(t *testing.T, e *servertest.Env) *news.Article {
	t.Helper()
	ctx := context.Background()
	a, err := e.DB.CreateArticle(ctx, news.ArticleUpdate{
		Title: ptr("Thông xe cầu Rào 1 mới sau 18 tháng thi công"), Excerpt: ptr("Sáng 26/11, cầu Rào 1 được thông xe & đón những chiếc xe đầu tiên."),
		BodyHTML: ptr("<p>Toàn văn bài viết về cầu Rào 1.</p>"), Category: ptr("do-thi"), Authors: []string{"thu-ha", "minh-dang"}, Tags: []string{"giao-thong"},
		Cover: &news.Image{URL: "https://static.newsdesk.example/2026/11/cau-rao.png", Caption: "Cầu Rào 1 ngày thông xe", Alt: "Cầu Rào 1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if a, err = e.DB.PublishArticle(ctx, a.ID, e.Clock.Now().Add(-time.Hour), time.Time{}); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestFeeds(t *testing.T) {
	e := servertest.Start(t)
	fresh := publishFresh(t, e)
	parser := gofeed.NewParser()
	for _, tc := range []struct {
		path, golden, feedType, contentType string
		items                               int
	}{
		{"/feeds/rss.xml", "rss.xml", "rss", "application/rss+xml", 41},
		{"/feeds/atom.xml", "atom.xml", "atom", "application/atom+xml", 41},
		{"/feeds/feed.json", "feed.json", "json", "application/feed+json", 41},
		{"/feeds/category/thoi-su/rss.xml", "category-thoi-su.rss.xml", "rss", "application/rss+xml", -1},
		{"/feeds/tag/duong-kinh/atom.xml", "tag-duong-kinh.atom.xml", "atom", "application/atom+xml", -1},
		{"/feeds/author/thu-ha/feed.json", "author-thu-ha.feed.json", "json", "application/feed+json", -1},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			resp, body := e.Get(t, tc.path, "", nil)
			if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), tc.contentType) {
				t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			golden(t, tc.golden, body)
			f, err := parser.Parse(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("a real parser refuses it: %v", err)
			}
			if f.FeedType != tc.feedType || (tc.items > 0 && len(f.Items) != tc.items) || len(f.Items) == 0 {
				t.Fatalf("type %s with %d items", f.FeedType, len(f.Items))
			}
			if tc.feedType != "atom" && f.Language != "vi" {
				t.Errorf("language %q", f.Language)
			}
			for _, it := range f.Items {
				if !strings.HasPrefix(it.Link, "http://localhost:8080/articles/") || it.Title == "" || it.PublishedParsed == nil {
					t.Errorf("item %q: link %q, published %v", it.Title, it.Link, it.PublishedParsed)
				}
				if !norm.NFC.IsNormalString(it.Title) || !norm.NFC.IsNormalString(it.Description) {
					t.Errorf("item %q is not NFC", it.Title)
				}
				if strings.Contains(it.Content, "Toàn văn") {
					t.Errorf("a public feed carries the full text of %q", it.Title)
				}
				if strings.Contains(it.Link, "cong-bo-quy-hoach-phan-khu") || strings.Contains(it.Link, "kinh-te-bien-tiep-tuc") {
					t.Errorf("a scheduled or draft story is in the feed: %s", it.Link)
				}
			}
			if tc.items > 0 {
				first := f.Items[0]
				if first.Title != fresh.Title || first.Description != fresh.Excerpt || len(first.Authors) == 0 ||
					!strings.Contains(first.Content, "<figcaption>Cầu Rào 1 ngày thông xe</figcaption>") ||
					!strings.Contains(first.Content, "đón những chiếc xe đầu tiên") {
					t.Errorf("newest item: %q / %q / %q / authors %v", first.Title, first.Description, first.Content, first.Authors)
				}
				if tc.feedType != "json" && (len(first.Enclosures) != 1 || first.Enclosures[0].Type != "image/png") {
					t.Errorf("enclosures %+v", first.Enclosures)
				}
				if tc.feedType == "json" && (first.Image == nil || len(first.Categories) != 1 || first.Categories[0] != "Giao thông") {
					t.Errorf("json item image %+v, tags %v", first.Image, first.Categories)
				}
			}
		})
	}
	// A tag without stories has feeds without items: JSON Feed's "items"
	// is still there, an empty array, as the spec requires.
	if err := e.DB.CreateTag(context.Background(), &news.Tag{Name: "Chưa có bài"}); err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{"rss.xml", "atom.xml", "feed.json"} {
		resp, body := e.Get(t, "/feeds/tag/chua-co-bai/"+file, "", nil)
		if resp.StatusCode != 200 {
			t.Fatalf("%s of an empty tag: %d %s", file, resp.StatusCode, body)
		}
		f, err := parser.Parse(bytes.NewReader(body))
		if err != nil || len(f.Items) != 0 || f.Title != "newsdesk – Chưa có bài" {
			t.Errorf("%s of an empty tag: %v, %+v", file, err, f)
		}
		if file == "feed.json" {
			var doc map[string]any
			if err := json.Unmarshal(body, &doc); err != nil {
				t.Fatal(err)
			}
			if items, ok := doc["items"].([]any); !ok || len(items) != 0 {
				t.Errorf("items of an empty JSON Feed: %#v", doc["items"])
			}
		}
	}
	for _, p := range []string{"/feeds/category/khong-co/rss.xml", "/feeds/tag/khong-co/atom.xml", "/feeds/author/khong-co/feed.json", "/feeds/podcast/x/rss.xml", "/feeds/rss.html"} {
		if resp, _ := e.Get(t, p, "", nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, resp.StatusCode)
		}
	}
}

func TestPartnerFullText(t *testing.T) {
	e := servertest.Start(t)
	parse := func(path string, role news.Role, header http.Header) (*gofeed.Feed, *http.Response) {
		t.Helper()
		resp, body := e.Get(t, path, role, header)
		if resp.StatusCode != 200 {
			t.Fatalf("%s as %q: %d %s", path, role, resp.StatusCode, body)
		}
		f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		return f, resp
	}
	seedContent := func(f *gofeed.Feed) string {
		for _, it := range f.Items {
			if strings.HasSuffix(it.Link, "/"+seedSlug) {
				return it.Content
			}
		}
		t.Fatal("the seed story is not in the feed")
		return ""
	}
	const bodyWords = "định hướng dư luận" // in the body only
	for _, tc := range []struct {
		name   string
		path   string
		role   news.Role
		full   bool
		header http.Header
	}{
		{"public", "/feeds/tag/thong-tin-doi-ngoai/rss.xml", "", false, nil},
		{"reader key", "/feeds/tag/thong-tin-doi-ngoai/rss.xml", news.RoleReader, false, nil},
		{"partner bearer", "/feeds/tag/thong-tin-doi-ngoai/rss.xml", news.RolePartner, true, nil},
		{"partner query key", "/feeds/tag/thong-tin-doi-ngoai/atom.xml?key=" + e.Keys[news.RolePartner], "", true, nil},
		{"editor", "/feeds/tag/thong-tin-doi-ngoai/feed.json", news.RoleEditor, true, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, resp := parse(tc.path, tc.role, tc.header)
			got := seedContent(f)
			if strings.Contains(got, bodyWords) != tc.full {
				t.Errorf("full text %v, want %v: %.300s", strings.Contains(got, bodyWords), tc.full, got)
			}
			private := tc.role != "" || strings.Contains(tc.path, "key=")
			if cc := resp.Header.Get("Cache-Control"); (cc == "private, no-store") != private {
				t.Errorf("Cache-Control %q", cc)
			}
		})
	}
	// A key in the URL is for feeds only; a bad one is refused.
	if resp, _ := e.Get(t, "/feeds/rss.xml?key=nd_2_wrong", "", nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a bad ?key=: %d", resp.StatusCode)
	}
	if resp, _ := e.Get(t, "/v1/articles?status=draft&key="+e.Keys[news.RoleEditor], "", nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("?key= outside the feeds: %d, want 401 (anonymous)", resp.StatusCode)
	}
}

func TestConditionalFeeds(t *testing.T) {
	e := servertest.Start(t)
	resp, _ := e.Get(t, "/feeds/rss.xml", "", nil)
	etag, lm := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if etag == "" || lm == "" {
		t.Fatalf("ETag %q, Last-Modified %q", etag, lm)
	}
	if r, b := e.Get(t, "/feeds/rss.xml", "", http.Header{"If-None-Match": {etag}}); r.StatusCode != 304 || len(b) != 0 {
		t.Errorf("If-None-Match: %d", r.StatusCode)
	}
	if r, _ := e.Get(t, "/feeds/rss.xml", "", http.Header{"If-Modified-Since": {lm}}); r.StatusCode != 304 {
		t.Errorf("If-Modified-Since: %d", r.StatusCode)
	}
	old := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Format(http.TimeFormat)
	if r, _ := e.Get(t, "/feeds/rss.xml", "", http.Header{"If-Modified-Since": {old}}); r.StatusCode != 200 {
		t.Errorf("If-Modified-Since long ago: %d", r.StatusCode)
	}
	// A new story: new ETag, later Last-Modified, and the old validators
	// get the new feed.
	e.Clock.Add(time.Hour)
	publishFresh(t, e)
	r, _ := e.Get(t, "/feeds/rss.xml", "", http.Header{"If-None-Match": {etag}})
	if r.StatusCode != 200 || r.Header.Get("ETag") == etag || r.Header.Get("Last-Modified") == lm {
		t.Errorf("after a publish: %d, ETag %q, Last-Modified %q", r.StatusCode, r.Header.Get("ETag"), r.Header.Get("Last-Modified"))
	}
}

type urlSet struct {
	URLs []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
		News    *struct {
			Publication struct {
				Name     string `xml:"name"`
				Language string `xml:"language"`
			} `xml:"publication"`
			PublicationDate string `xml:"publication_date"`
			Title           string `xml:"title"`
		} `xml:"news"`
	} `xml:"url"`
}

func TestSitemaps(t *testing.T) {
	e := servertest.Start(t)
	fresh := publishFresh(t, e)
	resp, body := e.Get(t, "/sitemap.xml", "", nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/xml") {
		t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	golden(t, "sitemap.xml", body)
	var set urlSet
	if err := xml.Unmarshal(body, &set); err != nil {
		t.Fatal(err)
	}
	// Home, 8 categories, 41 visible stories (40 + the fresh one).
	if len(set.URLs) != 1+8+41 {
		t.Errorf("%d URLs, want 50", len(set.URLs))
	}
	_, body = e.Get(t, "/sitemap-news.xml", "", nil)
	golden(t, "sitemap-news.xml", body)
	if !bytes.Contains(body, []byte(`xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"`)) {
		t.Error("no news namespace")
	}
	var ns urlSet
	if err := xml.Unmarshal(body, &ns); err != nil {
		t.Fatal(err)
	}
	if len(ns.URLs) != 1 || ns.URLs[0].News == nil || ns.URLs[0].News.Title != fresh.Title ||
		ns.URLs[0].News.Publication.Language != "vi" || ns.URLs[0].News.Publication.Name != "newsdesk" ||
		ns.URLs[0].News.PublicationDate != fresh.PublishedAt.Format(time.RFC3339) {
		t.Errorf("news sitemap: %+v", ns.URLs)
	}
	// Two days later it is out of the news sitemap.
	e.Clock.Add(49 * time.Hour)
	_, body = e.Get(t, "/sitemap-news.xml", "", nil)
	if bytes.Contains(body, []byte(fresh.Slug)) {
		t.Error("a story older than two days is in the news sitemap")
	}
}

// TestSitemapIndex splits the demo site with a page size of 10: an index of
// the sections' file and one file per id range, every story exactly once.
func TestSitemapIndex(t *testing.T) {
	db := sqlitetest.OpenDemo(t, sqlite.Options{})
	srv := httptest.NewServer(feed.NewHandler(feed.Config{Store: db, PublicURL: "https://tin.example.vn/", SiteName: "Tin", SitemapPageSize: 10}))
	defer srv.Close()
	get := func(path string, want int) []byte {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		if resp.StatusCode != want {
			t.Fatalf("%s: %d, want %d", path, resp.StatusCode, want)
		}
		return b.Bytes()
	}
	var idx struct {
		Sitemaps []struct {
			Loc string `xml:"loc"`
		} `xml:"sitemap"`
	}
	if err := xml.Unmarshal(get("/sitemap.xml", 200), &idx); err != nil {
		t.Fatal(err)
	}
	// 44 article ids: 5 files of 10, plus the sections.
	if len(idx.Sitemaps) != 6 || idx.Sitemaps[0].Loc != "https://tin.example.vn/sitemaps/sections.xml" {
		t.Fatalf("index: %+v", idx.Sitemaps)
	}
	seen := map[string]bool{}
	for _, s := range idx.Sitemaps {
		var set urlSet
		if err := xml.Unmarshal(get(strings.TrimPrefix(s.Loc, "https://tin.example.vn"), 200), &set); err != nil {
			t.Fatal(err)
		}
		if len(set.URLs) > 10 {
			t.Errorf("%s: %d URLs", s.Loc, len(set.URLs))
		}
		for _, u := range set.URLs {
			if seen[u.Loc] {
				t.Errorf("%s twice", u.Loc)
			}
			seen[u.Loc] = true
		}
	}
	if len(seen) != 1+8+40 {
		t.Errorf("%d URLs over the index, want 49", len(seen))
	}
	for _, p := range []string{"/sitemaps/articles-6.xml", "/sitemaps/articles-0.xml", "/sitemaps/articles-x.xml", "/sitemaps/articles-1.xml.gz"} {
		get(p, 404)
	}
}

func ptr[T any](v T) *T { return &v }
