package rest_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/server"
	"github.com/newsdesk/newsdesk/internal/server/servertest"
	"github.com/newsdesk/newsdesk/internal/sqlite/sqlitetest"
)

func TestMain(m *testing.M) { sqlitetest.Main(m) }

const seedSlug = "so-thong-tin-va-truyen-thong-tap-huan-cong-tac-thong-tin-doi-ngoai"

type article struct {
	ID, Slug, Title, Excerpt string
	BodyHTML                 *string
	BodyText                 *string
	CoverImage               *struct{ URL, Caption string }
	Authors                  []struct{ Slug, Name string }
	Category                 *struct{ Slug, Name string }
	Tags                     []struct{ Slug, Name string }
	Status                   string
	PublishedAt              *string
	UpdatedAt                string
	ReadingMinutes           int
}

type list struct {
	Items      []article
	NextCursor string
}

type errBody struct {
	Error struct{ Code, Message, Field string }
}

func getJSON(t *testing.T, e *servertest.Env, path string, role news.Role, wantStatus int, out any) *http.Response {
	t.Helper()
	resp, body := e.Get(t, path, role, nil)
	if resp.StatusCode != wantStatus {
		t.Fatalf("GET %s: %d %s, want %d", path, resp.StatusCode, body, wantStatus)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("GET %s: Content-Type %q", path, ct)
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			t.Fatalf("GET %s: %v in %s", path, err, body)
		}
	}
	return resp
}

func TestArticle(t *testing.T) {
	e := servertest.Start(t)
	var a article
	getJSON(t, e, "/v1/articles/"+seedSlug, "", 200, &a)
	if a.Title != "Sở Thông tin và Truyền thông tập huấn công tác thông tin đối ngoại" || a.Status != "PUBLISHED" ||
		a.PublishedAt == nil || *a.PublishedAt != "2025-10-10T09:30:00+07:00" {
		t.Errorf("article = %+v", a)
	}
	if a.BodyHTML == nil || !strings.Contains(*a.BodyHTML, "<figcaption>") || a.BodyText == nil || strings.Contains(*a.BodyText, "<") {
		t.Error("the full article lacks its HTML body with the captioned figure, or its plain text")
	}
	if a.CoverImage == nil || a.CoverImage.Caption == "" || len(a.Authors) == 0 || a.Category == nil || a.Category.Slug != "chinh-tri" || len(a.Tags) == 0 {
		t.Errorf("cover %+v, authors %+v, category %+v, tags %+v", a.CoverImage, a.Authors, a.Category, a.Tags)
	}

	// The body goes out as written (no \u003c escapes), marked as JSON
	// that no browser may sniff into HTML.
	resp, raw := e.Get(t, "/v1/articles/"+seedSlug, "", nil)
	if !strings.Contains(string(raw), `<figcaption>`) || strings.Contains(string(raw), `\u003c`) ||
		resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("raw answer escapes HTML or may be sniffed (nosniff %q): %.200s", resp.Header.Get("X-Content-Type-Options"), raw)
	}

	// fields picks; id and slug always come.
	var picked map[string]any
	getJSON(t, e, "/v1/articles/"+seedSlug+"?fields=title,publishedAt", "", 200, &picked)
	if len(picked) != 4 || picked["title"] == nil || picked["slug"] != seedSlug || picked["id"] != a.ID {
		t.Errorf("fields=title,publishedAt: %v", picked)
	}

	var rel list
	getJSON(t, e, "/v1/articles/"+seedSlug+"/related", "", 200, &rel)
	if len(rel.Items) != 5 || rel.NextCursor != "" {
		t.Fatalf("related: %d items, cursor %q", len(rel.Items), rel.NextCursor)
	}
	for _, r := range rel.Items {
		if r.Slug == seedSlug || r.BodyHTML != nil || r.Status != "PUBLISHED" || len(r.Authors) == 0 {
			t.Errorf("related item %+v", r)
		}
	}
	getJSON(t, e, "/v1/articles/"+seedSlug+"/related?limit=2", "", 200, &rel)
	if len(rel.Items) != 2 {
		t.Errorf("related?limit=2: %d items", len(rel.Items))
	}
}

func TestTaxonomy(t *testing.T) {
	e := servertest.Start(t)
	var tree struct {
		Items []struct {
			Slug     string
			Parent   *struct{ Slug string }
			Children []struct {
				Slug   string
				Parent struct{ Slug string }
			}
		}
	}
	getJSON(t, e, "/v1/categories", "", 200, &tree)
	if len(tree.Items) != 6 || tree.Items[0].Slug != "thoi-su" || tree.Items[0].Parent != nil ||
		len(tree.Items[0].Children) != 2 || tree.Items[0].Children[0].Parent.Slug != "thoi-su" {
		t.Errorf("category tree: %+v", tree)
	}
	var cat struct {
		Slug, Name string
		Parent     *struct{ Slug string }
	}
	getJSON(t, e, "/v1/categories/chinh-tri", "", 200, &cat)
	if cat.Name == "" || cat.Parent == nil || cat.Parent.Slug != "thoi-su" {
		t.Errorf("category: %+v", cat)
	}
	var au struct{ Slug, Name, Bio string }
	getJSON(t, e, "/v1/authors/thu-ha", "", 200, &au)
	if au.Name != "Thu Hà" {
		t.Errorf("author: %+v", au)
	}
	var tag struct{ Slug, Name string }
	getJSON(t, e, "/v1/tags/duong-kinh", "", 200, &tag)
	if tag.Name != "Dương Kinh" {
		t.Errorf("tag: %+v", tag)
	}
}

// walk follows nextCursor from path to the end and returns the slugs.
func walk(t *testing.T, e *servertest.Env, path string, role news.Role) []string {
	t.Helper()
	var slugs []string
	next := path
	for pages := 0; ; pages++ {
		if pages > 50 {
			t.Fatal("more than 50 pages")
		}
		var l list
		getJSON(t, e, next, role, 200, &l)
		for _, a := range l.Items {
			if a.BodyHTML != nil {
				t.Errorf("list item %s has a body", a.Slug)
			}
			slugs = append(slugs, a.Slug)
		}
		if l.NextCursor == "" {
			return slugs
		}
		next = path + "&cursor=" + url.QueryEscape(l.NextCursor)
	}
}

func TestCursorWalks(t *testing.T) {
	e := servertest.Start(t)
	all := walk(t, e, "/v1/articles?limit=7", "")
	seen := map[string]bool{}
	for _, s := range all {
		if seen[s] {
			t.Errorf("%s twice", s)
		}
		seen[s] = true
	}
	if len(all) != 40 {
		t.Errorf("walked %d articles, want 40 published", len(all))
	}
	var first list
	getJSON(t, e, "/v1/articles?limit=100", "", 200, &first)
	if len(first.Items) != 40 || first.NextCursor != "" || first.Items[0].Slug != all[0] {
		t.Errorf("one page of 100: %d items, cursor %q", len(first.Items), first.NextCursor)
	}
	thoiSu := walk(t, e, "/v1/articles?category=thoi-su&limit=3", "")
	var count struct{ Items []article }
	getJSON(t, e, "/v1/articles?category=thoi-su&limit=100", "", 200, &count)
	if len(thoiSu) != len(count.Items) || len(thoiSu) == 0 {
		t.Errorf("thoi-su walk %d, one page %d", len(thoiSu), len(count.Items))
	}
	byTag := walk(t, e, "/v1/articles?tag=hai-phong&author=thu-ha&limit=2", "")
	if len(byTag) == 0 {
		t.Error("no articles by tag and author")
	}
	hits := 0
	next := "/v1/search?q=hai+phong&limit=4"
	for next != "" {
		var l struct {
			Items []struct {
				Article   article
				Score     float64
				Highlight struct{ Title, Snippet string }
			}
			NextCursor string
		}
		getJSON(t, e, next, "", 200, &l)
		for _, it := range l.Items {
			if it.Score <= 0 || !strings.Contains(it.Highlight.Title+it.Highlight.Snippet, "<mark>") {
				t.Errorf("hit %s: score %v highlight %+v", it.Article.Slug, it.Score, it.Highlight)
			}
		}
		hits += len(l.Items)
		next = ""
		if l.NextCursor != "" {
			next = "/v1/search?q=hai+phong&limit=4&cursor=" + url.QueryEscape(l.NextCursor)
		}
	}
	if hits < 10 {
		t.Errorf("search walk: %d hits", hits)
	}

	// Editors list drafts; the public may not.
	drafts := walk(t, e, "/v1/articles?status=draft&limit=2", news.RoleEditor)
	if len(drafts) != 3 {
		t.Errorf("drafts: %v", drafts)
	}
}

func TestErrors(t *testing.T) {
	e := servertest.Start(t)
	for _, tc := range []struct {
		path        string
		role        news.Role
		status      int
		code, field string
	}{
		{"/v1/articles?limit=0", "", 400, news.EINVALID, "limit"},
		{"/v1/articles?limit=101", "", 400, news.EINVALID, "limit"},
		{"/v1/articles?limit=abc", "", 400, news.EINVALID, "limit"},
		{"/v1/articles?limit=1e3", "", 400, news.EINVALID, "limit"},
		{"/v1/articles?cursor=garbage", "", 400, news.EINVALID, "cursor"},
		{"/v1/articles?fields=title,password", "", 400, news.EINVALID, "fields"},
		{"/v1/articles?status=deleted", news.RoleEditor, 400, news.EINVALID, "status"},
		{"/v1/articles?status=draft", "", 401, news.EUNAUTHENTICATED, ""},
		{"/v1/articles?status=scheduled", news.RolePartner, 403, news.EFORBIDDEN, ""},
		{"/v1/articles/khong-co-bai-nay", "", 404, news.ENOTFOUND, ""},
		{"/v1/articles/kinh-te-bien-tiep-tuc-la-dong-luc-tang-truong-cua-thanh-pho", "", 404, news.ENOTFOUND, ""}, // a draft
		{"/v1/articles/khong-co-bai-nay/related", "", 404, news.ENOTFOUND, ""},
		{"/v1/articles/" + seedSlug + "/related?limit=500", "", 400, news.EINVALID, "limit"},
		{"/v1/categories/khong-co", "", 404, news.ENOTFOUND, ""},
		{"/v1/authors/khong-co", "", 404, news.ENOTFOUND, ""},
		{"/v1/tags/khong-co", "", 404, news.ENOTFOUND, ""},
		{"/v1/search", "", 400, news.EINVALID, "query"},
		{"/v1/search?q=" + strings.Repeat("a", 300), "", 400, news.EINVALID, "query"},
		{"/v1/search?q=hai&order=oldest", "", 400, news.EINVALID, "order"},
		{"/v1/nothing-here", "", 404, news.ENOTFOUND, ""},
	} {
		var b errBody
		resp := getJSON(t, e, tc.path, tc.role, tc.status, &b)
		if b.Error.Code != tc.code || b.Error.Field != tc.field || b.Error.Message == "" {
			t.Errorf("GET %s: %+v, want code %s field %q", tc.path, b.Error, tc.code, tc.field)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" && tc.role == "" {
			t.Errorf("GET %s: error answer with Cache-Control %q", tc.path, cc)
		}
	}
	// The editor sees the draft.
	getJSON(t, e, "/v1/articles/kinh-te-bien-tiep-tuc-la-dong-luc-tang-truong-cua-thanh-pho", news.RoleEditor, 200, nil)

	// Writes are not REST's: 405 in JSON, with Allow.
	req, _ := http.NewRequest(http.MethodPost, e.Srv.URL+"/v1/articles", strings.NewReader(`{}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 405 || resp.Header.Get("Allow") != "GET, HEAD" || !strings.Contains(string(body), `"METHOD_NOT_ALLOWED"`) {
		t.Errorf("POST: %d %s", resp.StatusCode, body)
	}
	// A bad key is a 401 in the REST shape.
	req, _ = http.NewRequest(http.MethodGet, e.Srv.URL+"/v1/articles", nil)
	req.Header.Set("Authorization", "Bearer nd_1_nope")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var b errBody
	json.NewDecoder(resp.Body).Decode(&b)
	resp.Body.Close()
	if resp.StatusCode != 401 || b.Error.Code != news.EUNAUTHENTICATED {
		t.Errorf("bad key: %d %+v", resp.StatusCode, b)
	}
}

func TestCaching(t *testing.T) {
	e := servertest.Start(t)
	path := "/v1/articles/" + seedSlug
	resp, body := e.Get(t, path, "", nil)
	etag := resp.Header.Get("ETag")
	if !strings.HasPrefix(etag, `"`) || strings.HasPrefix(etag, "W/") {
		t.Fatalf("ETag %q, want a strong one", etag)
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "public") || !strings.Contains(cc, "max-age=") || !strings.Contains(cc, "stale-while-revalidate=") {
		t.Errorf("Cache-Control %q", cc)
	}
	vary := strings.Join(resp.Header.Values("Vary"), ",")
	if !strings.Contains(vary, "Accept-Encoding") || !strings.Contains(vary, "Authorization") {
		t.Errorf("Vary %q", vary)
	}
	// The same again: the same ETag. With it: 304 and no body.
	again, _ := e.Get(t, path, "", nil)
	if again.Header.Get("ETag") != etag {
		t.Errorf("ETag moved without a change: %s -> %s", etag, again.Header.Get("ETag"))
	}
	nm, nmBody := e.Get(t, path, "", http.Header{"If-None-Match": {etag}})
	if nm.StatusCode != http.StatusNotModified || len(nmBody) != 0 || nm.Header.Get("ETag") != etag {
		t.Errorf("If-None-Match: %d, %d bytes, ETag %q", nm.StatusCode, len(nmBody), nm.Header.Get("ETag"))
	}
	other, _ := e.Get(t, path, "", http.Header{"If-None-Match": {`"stale", W/"older"`}})
	if other.StatusCode != http.StatusOK {
		t.Errorf("a stale If-None-Match: %d", other.StatusCode)
	}

	// An update changes the ETag; the old one gets the new content.
	a, err := e.DB.ArticleBySlug(context.Background(), seedSlug)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.DB.UpdateArticle(context.Background(), a.ID, a.UpdatedAt, news.ArticleUpdate{Excerpt: ptr("Sapo đã sửa.")}); err != nil {
		t.Fatal(err)
	}
	changed, changedBody := e.Get(t, path, "", http.Header{"If-None-Match": {etag}})
	if changed.StatusCode != http.StatusOK || changed.Header.Get("ETag") == etag || !bytes.Contains(changedBody, []byte("Sapo đã sửa.")) || bytes.Equal(changedBody, body) {
		t.Errorf("after an update: %d, ETag %q (was %q)", changed.StatusCode, changed.Header.Get("ETag"), etag)
	}
	// Unpublished: the old ETag no longer gets a 304.
	if _, err := e.DB.UnpublishArticle(context.Background(), a.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	gone, _ := e.Get(t, path, "", http.Header{"If-None-Match": {changed.Header.Get("ETag")}})
	if gone.StatusCode != http.StatusNotFound {
		t.Errorf("after unpublishing: %d, want 404", gone.StatusCode)
	}

	// Publishing a story changes the list's ETag.
	listed, _ := e.Get(t, "/v1/articles?limit=5", "", nil)
	draft, err := e.DB.Preview().ArticleBySlug(context.Background(), "kinh-te-bien-tiep-tuc-la-dong-luc-tang-truong-cua-thanh-pho")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.DB.PublishArticle(context.Background(), draft.ID, e.Clock.Now(), time.Time{}); err != nil {
		t.Fatal(err)
	}
	relisted, relistedBody := e.Get(t, "/v1/articles?limit=5", "", http.Header{"If-None-Match": {listed.Header.Get("ETag")}})
	if relisted.StatusCode != http.StatusOK || !bytes.Contains(relistedBody, []byte(draft.Slug)) {
		t.Errorf("after a publish: %d, new story listed: %v", relisted.StatusCode, bytes.Contains(relistedBody, []byte(draft.Slug)))
	}

	// With a key: private.
	priv, _ := e.Get(t, "/v1/articles?limit=2", news.RoleReader, nil)
	if cc := priv.Header.Get("Cache-Control"); cc != "private, no-store" {
		t.Errorf("with a key: Cache-Control %q", cc)
	}
	// GraphQL over GET is cached alike.
	q := "/graphql?query=" + url.QueryEscape("{ categories { slug } }")
	g, _ := e.Get(t, q, "", nil)
	g304, _ := e.Get(t, q, "", http.Header{"If-None-Match": {g.Header.Get("ETag")}})
	if g.Header.Get("ETag") == "" || !strings.Contains(g.Header.Get("Cache-Control"), "public") || g304.StatusCode != http.StatusNotModified {
		t.Errorf("GraphQL GET: ETag %q, Cache-Control %q, revalidation %d", g.Header.Get("ETag"), g.Header.Get("Cache-Control"), g304.StatusCode)
	}
}

func TestCompression(t *testing.T) {
	e := servertest.Start(t)
	path := "/v1/articles?limit=20"
	plain, plainBody := e.Get(t, path, "", nil)
	if plain.Header.Get("Content-Encoding") != "" {
		t.Fatalf("no Accept-Encoding, yet Content-Encoding %q", plain.Header.Get("Content-Encoding"))
	}
	for _, tc := range []struct{ accept, want string }{
		{"gzip", "gzip"},
		{"br", "br"},
		{"gzip, deflate, br", "br"},
		{"br;q=0.5, gzip;q=0.8", "gzip"},
		{"br;q=0, gzip;q=0", ""},
		{"*", "br"},
		{"identity", ""},
		{"deflate", ""},
	} {
		resp, body := e.Get(t, path, "", http.Header{"Accept-Encoding": {tc.accept}})
		if got := resp.Header.Get("Content-Encoding"); got != tc.want {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", tc.accept, got, tc.want)
			continue
		}
		var r io.Reader = bytes.NewReader(body)
		switch tc.want {
		case "gzip":
			zr, err := gzip.NewReader(r)
			if err != nil {
				t.Fatal(err)
			}
			r = zr
		case "br":
			r = brotli.NewReader(r)
		}
		decoded, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(decoded, plainBody) {
			t.Errorf("Accept-Encoding %q: decoded body differs (%v)", tc.accept, err)
		}
		if tc.want != "" && len(body) >= len(plainBody)/2 {
			t.Errorf("%s: %d bytes from %d", tc.want, len(body), len(plainBody))
		}
		if tc.want != "" && resp.Header.Get("ETag") == plain.Header.Get("ETag") {
			t.Errorf("%s: the same strong ETag as the identity body", tc.want)
		}
	}
	// Small bodies go as they are.
	small, _ := e.Get(t, "/v1/tags/hai-phong", "", http.Header{"Accept-Encoding": {"gzip, br"}})
	if small.Header.Get("Content-Encoding") != "" {
		t.Errorf("a tiny body was compressed")
	}
}

func TestDefaultsKeepShapesSmall(t *testing.T) {
	e := servertest.Start(t)
	var l list
	getJSON(t, e, "/v1/articles?limit=3&fields=title,bodyHtml", "", 200, &l)
	for _, a := range l.Items {
		if a.BodyHTML == nil || a.Title == "" || a.Excerpt != "" || a.Authors != nil {
			t.Errorf("fields=title,bodyHtml item: %+v", a)
		}
	}
	var slugs []string
	getJSON(t, e, "/v1/articles?limit=3&fields=slug", "", 200, &l)
	for _, a := range l.Items {
		slugs = append(slugs, a.Slug)
	}
	if len(slugs) != 3 || slices.Contains(slugs, "") {
		t.Errorf("fields=slug: %v", slugs)
	}
}

// TestArticleFields: ?fields= on an article answers exactly the fields
// chosen (with id and slug), a chosen field without a value as null, and
// reads only the links the fields show.
func TestArticleFields(t *testing.T) {
	// Without the response cache, which reads the next scheduled time.
	e := servertest.Start(t, func(c *server.Config) { c.ResponseCacheBytes = -1 })
	ctx := context.Background()
	draft, err := e.DB.CreateArticle(ctx, news.ArticleUpdate{
		Title: ptr("Bản nháp chưa đăng"), Category: ptr("do-thi"), Authors: []string{"thu-ha"},
	})
	if err != nil {
		t.Fatal(err)
	}
	tags := 0
	read := func(slug, fields string, role news.Role) (int64, map[string]json.RawMessage) {
		t.Helper()
		// A write first: nothing is left cached for the generation.
		tags++
		if err := e.DB.CreateTag(ctx, &news.Tag{Name: "Thẻ trường " + strings.Repeat("x", tags)}); err != nil {
			t.Fatal(err)
		}
		before := e.DB.QueryCount()
		var got map[string]json.RawMessage
		getJSON(t, e, "/v1/articles/"+slug+"?fields="+url.QueryEscape(fields), role, 200, &got)
		return e.DB.QueryCount() - before, got
	}
	keys := func(m map[string]json.RawMessage) []string {
		out := make([]string, 0, len(m))
		for k := range m {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}

	n, got := read(seedSlug, "title,bodyHtml,publishedAt", "")
	if k := keys(got); !slices.Equal(k, []string{"bodyHtml", "id", "publishedAt", "slug", "title"}) ||
		!strings.Contains(string(got["bodyHtml"]), "<figcaption>") || string(got["publishedAt"]) != `"2025-10-10T09:30:00+07:00"` {
		t.Errorf("fields=title,bodyHtml,publishedAt: keys %q, %s", k, got)
	}
	if n != 2 {
		t.Errorf("an article without links: %d statements, want 2 (article, categories)", n)
	}
	n, got = read(seedSlug, "authors,category", "")
	var authors []struct{ Slug string }
	if err := json.Unmarshal(got["authors"], &authors); err != nil || len(authors) == 0 || !strings.Contains(string(got["category"]), `"slug"`) {
		t.Errorf("fields=authors,category: %s", got)
	}
	if _, ok := got["tags"]; ok || n != 3 {
		t.Errorf("fields=authors,category: tags %s, %d statements, want no tags and 3 (article with link ids, authors, categories: tags are not read)", got["tags"], n)
	}
	n, all := read(seedSlug, "", "")
	if len(all) != 15 || all["tags"] == nil || all["bodyText"] == nil || n != 4 {
		t.Errorf("no fields: %d statements, keys %q; want the whole article (15 fields) in 4 (article with link ids, authors, tags, categories)", n, keys(all))
	}
	// Every field can be chosen alone, and comes as in the whole article.
	for name, whole := range all {
		_, got := read(seedSlug, name, "")
		want := []string{"id", "slug"}
		if !slices.Contains(want, name) {
			want = append(want, name)
		}
		slices.Sort(want)
		if k := keys(got); !slices.Equal(k, want) || string(got[name]) != string(whole) {
			t.Errorf("fields=%s: keys %q, %s; want %q and %s", name, k, got[name], want, whole)
		}
	}
	// A draft has no publication time: chosen, it is there as null.
	_, got = read(draft.Slug, "publishedAt,coverImage", news.RoleEditor)
	if k := keys(got); !slices.Equal(k, []string{"coverImage", "id", "publishedAt", "slug"}) ||
		string(got["publishedAt"]) != "null" || string(got["coverImage"]) != "null" {
		t.Errorf("a draft's publishedAt,coverImage: keys %q, %s", k, got)
	}
}

func ptr[T any](v T) *T { return &v }
