package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/demo"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/server/servertest"
	"github.com/newsdesk/newsdesk/internal/sqlite"
)

// editEnv is the whole server (auth middleware included) over a real
// database with the demo content, a key for every role, and a clock.
type editEnv struct {
	*servertest.Env
	t testing.TB
}

func newEditEnv(t testing.TB) *editEnv {
	t.Helper()
	return &editEnv{Env: servertest.Start(t), t: t}
}

// as runs a GraphQL request with the key of role ("" for none) and returns
// the HTTP status and the decoded response; out receives data.
func (e *editEnv) as(role news.Role, query string, vars map[string]any, out any) (int, gqlResponse) {
	e.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, e.Srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+e.Keys[role])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, decode(e.t, resp, out)
}

// must runs a request that must succeed.
func (e *editEnv) must(role news.Role, query string, vars map[string]any, out any) {
	e.t.Helper()
	if _, r := e.as(role, query, vars, out); len(r.Errors) > 0 {
		e.t.Fatalf("%s: %+v", query, r.Errors)
	}
}

// fails runs a request that must fail with code (and, when set, field).
func (e *editEnv) fails(role news.Role, code, field, query string, vars map[string]any) {
	e.t.Helper()
	_, r := e.as(role, query, vars, nil)
	if len(r.Errors) == 0 {
		e.t.Fatalf("%s %v: no error, want %s", query, vars, code)
	}
	got := r.Errors[0].Extensions["code"]
	if got != code || (field != "" && r.Errors[0].Extensions["field"] != field) {
		e.t.Fatalf("%s %v: got %v (field %v) %q, want %s (field %s)", query, vars, got, r.Errors[0].Extensions["field"], r.Errors[0].Message, code, field)
	}
}

type edited struct {
	ID          string
	Slug        string
	Title       string
	Excerpt     string
	BodyHTML    string
	Status      string
	PublishedAt string
	UpdatedAt   string
	Category    struct{ Slug string }
	Authors     []struct{ Slug string }
	Tags        []struct{ Slug, Name string }
	CoverImage  *struct{ URL, Caption string }
}

const editedFields = `id slug title excerpt bodyHtml status publishedAt updatedAt
	category { slug } authors { slug } tags { slug name } coverImage { url caption }`

const createArticle = `mutation($input: CreateArticleInput!) { createArticle(input: $input) { article { ` + editedFields + ` } } }`

// create makes a draft as an editor and returns it.
func (e *editEnv) create(input map[string]any) edited {
	e.t.Helper()
	in := map[string]any{"category": "do-thi", "authors": []string{"thu-ha"}, "bodyHtml": "<p>Nội dung.</p>"}
	for k, v := range input {
		in[k] = v
	}
	var data struct{ CreateArticle struct{ Article edited } }
	e.must(news.RoleEditor, createArticle, map[string]any{"input": in}, &data)
	return data.CreateArticle.Article
}

// public reads an article by slug without a key; nil when it is not visible.
func (e *editEnv) public(slug string) *edited {
	e.t.Helper()
	var data struct{ Article *edited }
	e.must("", `query($s: String) { article(slug: $s) { `+editedFields+` } }`, map[string]any{"s": slug}, &data)
	return data.Article
}

// preview reads an article by slug with an editor key.
func (e *editEnv) preview(slug string) *edited {
	e.t.Helper()
	var data struct{ Article *edited }
	e.must(news.RoleEditor, `query($s: String) { article(slug: $s) { `+editedFields+` } }`, map[string]any{"s": slug}, &data)
	return data.Article
}

func (e *editEnv) publish(id string, at string) edited {
	e.t.Helper()
	vars := map[string]any{"id": id}
	if at != "" {
		vars["at"] = at
	}
	var data struct{ PublishArticle struct{ Article edited } }
	e.must(news.RoleEditor, `mutation($id: ID!, $at: DateTime) { publishArticle(id: $id, publishedAt: $at) { article { `+editedFields+` } } }`, vars, &data)
	return data.PublishArticle.Article
}

func TestMutationRoles(t *testing.T) {
	e := newEditEnv(t)
	ctx := context.Background()
	// Each case makes its own target, so that every role meets the same
	// starting state, and returns the mutation and its variables.
	type target func() (string, map[string]any)
	draft := func() *news.Article {
		a, err := e.DB.CreateArticle(ctx, news.ArticleUpdate{Title: ptr("Bài thử quyền"), Category: ptr("do-thi"), Authors: []string{"thu-ha"}})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	articleID := func(a *news.Article) string { return news.NodeID(news.KindArticle, a.ID) }
	// Names must differ between roles: a second author or tag of the same
	// name would be a CONFLICT, not the answer under test.
	n := 0
	unique := func(prefix string) string {
		n++
		return prefix + " " + strconv.Itoa(n)
	}
	cases := []struct {
		name string
		min  news.Role
		make target
	}{
		{"createArticle", news.RoleEditor, func() (string, map[string]any) {
			return `mutation($i: CreateArticleInput!) { createArticle(input: $i) { article { id } } }`,
				map[string]any{"i": map[string]any{"title": unique("Bài mới"), "category": "do-thi", "authors": []string{"thu-ha"}}}
		}},
		{"updateArticle", news.RoleEditor, func() (string, map[string]any) {
			a := draft()
			return `mutation($id: ID!, $at: DateTime!) { updateArticle(id: $id, input: {title: "Đổi tên"}, expectedUpdatedAt: $at) { article { id } } }`,
				map[string]any{"id": articleID(a), "at": a.UpdatedAt.Format(time.RFC3339Nano)}
		}},
		{"publishArticle", news.RoleEditor, func() (string, map[string]any) {
			return `mutation($id: ID!) { publishArticle(id: $id) { article { id } } }`, map[string]any{"id": articleID(draft())}
		}},
		{"unpublishArticle", news.RoleEditor, func() (string, map[string]any) {
			return `mutation($id: ID!) { unpublishArticle(id: $id) { article { id } } }`, map[string]any{"id": articleID(draft())}
		}},
		{"archiveArticle", news.RoleEditor, func() (string, map[string]any) {
			return `mutation($id: ID!) { archiveArticle(id: $id) { article { id } } }`, map[string]any{"id": articleID(draft())}
		}},
		{"pinRelated", news.RoleEditor, func() (string, map[string]any) {
			return `mutation($id: ID!, $r: [ID!]!) { pinRelated(id: $id, related: $r) { article { id } } }`,
				map[string]any{"id": articleID(draft()), "r": []string{articleID(draft())}}
		}},
		{"createAuthor", news.RoleEditor, func() (string, map[string]any) {
			return `mutation($n: String!) { createAuthor(input: {name: $n}) { author { id } } }`, map[string]any{"n": unique("Phóng viên")}
		}},
		{"updateAuthor", news.RoleEditor, func() (string, map[string]any) {
			return `mutation($id: ID!) { updateAuthor(id: $id, input: {bio: "Phóng viên thời sự"}) { author { id } } }`,
				map[string]any{"id": news.NodeID(news.KindAuthor, 1)}
		}},
		{"createTag", news.RoleEditor, func() (string, map[string]any) {
			return `mutation($n: String!) { createTag(input: {name: $n}) { tag { id } } }`, map[string]any{"n": unique("Chủ đề")}
		}},
		{"createCategory", news.RoleAdmin, func() (string, map[string]any) {
			return `mutation($n: String!) { createCategory(input: {name: $n, parent: "thoi-su"}) { category { id } } }`, map[string]any{"n": unique("Chuyên mục")}
		}},
		{"updateCategory", news.RoleAdmin, func() (string, map[string]any) {
			return `mutation($id: ID!) { updateCategory(id: $id, input: {description: "Tin trong ngày"}) { category { id } } }`,
				map[string]any{"id": news.NodeID(news.KindCategory, 1)}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, role := range append([]news.Role{""}, news.Roles...) {
				q, vars := tc.make()
				status, r := e.as(role, q, vars, nil)
				want := ""
				switch {
				case role == "":
					want = news.EUNAUTHENTICATED
				case !role.Includes(tc.min):
					want = news.EFORBIDDEN
				}
				var got any = ""
				if len(r.Errors) > 0 {
					got = r.Errors[0].Extensions["code"]
				}
				if got != want || status != http.StatusOK {
					t.Errorf("as %q: status %d, code %v (%+v); want 200, %q", role, status, got, r.Errors, want)
				}
				if want != "" && string(r.Data) != "null" {
					t.Errorf("as %q: refused mutation returned data %s", role, r.Data)
				}
			}
		})
	}

	// A refused mutation writes nothing.
	before, _ := e.DB.Preview().CountArticles(ctx, news.ArticleFilter{Status: news.ArticleDraft})
	e.fails(news.RoleReader, news.EFORBIDDEN, "", createArticle, map[string]any{"input": map[string]any{
		"title": "Không được phép", "category": "do-thi", "authors": []string{"thu-ha"}}})
	after, _ := e.DB.Preview().CountArticles(ctx, news.ArticleFilter{Status: news.ArticleDraft})
	if after != before {
		t.Errorf("drafts %d -> %d after a refused create", before, after)
	}
}

func TestKeysAtTheDoor(t *testing.T) {
	e := newEditEnv(t)
	post := func(authz string) (int, gqlResponse) {
		req, _ := http.NewRequest(http.MethodPost, e.Srv.URL+"/graphql", strings.NewReader(`{"query":"{ viewer { name role } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", authz)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if authz != "" && resp.StatusCode == http.StatusUnauthorized && resp.Header.Get("WWW-Authenticate") == "" {
			t.Error("401 without WWW-Authenticate")
		}
		return resp.StatusCode, decode(t, resp, nil)
	}
	editor := e.Keys[news.RoleEditor]
	for _, authz := range []string{
		"Bearer nd_1_wrongsecret",
		"Bearer " + editor[:len(editor)-1] + "x",
		"Bearer nd_999_" + strings.Repeat("a", 43),
		"Bearer garbage",
		"Basic dXNlcjpwYXNz",
		"Bearer " + strings.Repeat("x", 5000),
	} {
		status, r := post(authz)
		if status != http.StatusUnauthorized || len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != news.EUNAUTHENTICATED {
			t.Errorf("%.40s: status %d %+v, want 401 UNAUTHENTICATED", authz, status, r.Errors)
		}
	}
	var data struct{ Viewer *struct{ Name, Role string } }
	e.must(news.RoleEditor, `{ viewer { name role } }`, nil, &data)
	if data.Viewer == nil || data.Viewer.Role != "editor" || data.Viewer.Name != "test editor" {
		t.Errorf("viewer = %+v", data.Viewer)
	}
	e.must("", `{ viewer { name role } }`, nil, &data)
	if data.Viewer != nil {
		t.Errorf("anonymous viewer = %+v, want null", data.Viewer)
	}

	// Revoking takes effect on the next request.
	if err := e.DB.RevokeKey(context.Background(), 3); err != nil { // the editor key
		t.Fatal(err)
	}
	if status, _ := post("Bearer " + editor); status != http.StatusUnauthorized {
		t.Errorf("revoked key: status %d, want 401", status)
	}
}

func TestSlugsFromVietnameseTitles(t *testing.T) {
	e := newEditEnv(t)
	for _, tc := range []struct{ title, slug string }{
		{"Đường Đồng Khởi được chỉnh trang", "duong-dong-khoi-duoc-chinh-trang"},
		{"Hải Phòng: Phạt 45 triệu đồng 1 y sĩ!", "hai-phong-phat-45-trieu-dong-1-y-si"},
		{"  Giá xăng   tăng lần thứ 3 — từ 15h hôm nay ", "gia-xang-tang-lan-thu-3-tu-15h-hom-nay"},
	} {
		if a := e.create(map[string]any{"title": tc.title}); a.Slug != tc.slug || a.Status != "DRAFT" {
			t.Errorf("%q: slug %q status %s, want %q DRAFT", tc.title, a.Slug, a.Status, tc.slug)
		}
	}
	// Collisions: the same title again and again, and a published story's slug.
	for i, want := range []string{"le-hoi-hoa-phuong-do", "le-hoi-hoa-phuong-do-2", "le-hoi-hoa-phuong-do-3"} {
		if a := e.create(map[string]any{"title": "Lễ hội Hoa Phượng Đỏ"}); a.Slug != want {
			t.Errorf("copy %d: slug %q, want %q", i+1, a.Slug, want)
		}
	}
	seed := e.public(seedSlug)
	if a := e.create(map[string]any{"title": seed.Title}); a.Slug != seedSlug+"-2" {
		t.Errorf("a published story's title: slug %q, want %q", a.Slug, seedSlug+"-2")
	}
	// An explicit slug is used as given; taken, it is a conflict.
	if a := e.create(map[string]any{"title": "Tin nhanh", "slug": "tin-nhanh-sang-nay"}); a.Slug != "tin-nhanh-sang-nay" {
		t.Errorf("explicit slug: %q", a.Slug)
	}
	e.fails(news.RoleEditor, news.ECONFLICT, "slug", createArticle, map[string]any{"input": map[string]any{
		"title": "Khác", "slug": seedSlug, "category": "do-thi", "authors": []string{"thu-ha"}}})
}

func TestDraftScheduleAndPublish(t *testing.T) {
	e := newEditEnv(t)
	a := e.create(map[string]any{"title": "Khai trương tuyến xe buýt điện Dương Kinh", "tags": []string{"xe-buyt", "Xe điện"}})
	if e.public(a.Slug) != nil {
		t.Fatal("a draft is public")
	}
	if p := e.preview(a.Slug); p == nil || p.Status != "DRAFT" {
		t.Fatalf("editor preview of a draft: %+v", p)
	}
	// The tag given by name was created; the one by slug was found.
	if len(a.Tags) != 2 || a.Tags[0].Slug != "xe-buyt" || a.Tags[1].Slug != "xe-dien" || a.Tags[1].Name != "Xe điện" {
		t.Errorf("tags = %+v", a.Tags)
	}
	listed := func(role news.Role, status string) bool {
		var data struct {
			Articles struct{ Nodes []struct{ Slug string } }
		}
		filter := map[string]any{}
		if status != "" {
			filter["status"] = status
		}
		e.must(role, `query($f: ArticleFilter) { articles(first: 100, filter: $f) { nodes { slug } } }`, map[string]any{"f": filter}, &data)
		for _, n := range data.Articles.Nodes {
			if n.Slug == a.Slug {
				return true
			}
		}
		return false
	}
	searched := func() bool {
		var data struct {
			Search struct {
				Edges []struct{ Node struct{ Slug string } }
			}
		}
		e.must("", `{ search(query: "xe buyt dien duong kinh") { edges { node { slug } } } }`, nil, &data)
		return len(data.Search.Edges) > 0 && data.Search.Edges[0].Node.Slug == a.Slug
	}
	if listed("", "") || !listed(news.RoleEditor, "DRAFT") || searched() {
		t.Error("draft: listed publicly, missing from the editors' drafts, or searchable")
	}
	e.fails("", news.EUNAUTHENTICATED, "", `{ articles(filter: {status: DRAFT}) { nodes { slug } } }`, nil)
	e.fails(news.RolePartner, news.EFORBIDDEN, "", `{ articles(filter: {status: SCHEDULED}) { nodes { slug } } }`, nil)

	// Scheduled for an hour from now: invisible until then.
	at := e.Clock.Now().Add(time.Hour)
	p := e.publish(a.ID, at.Format(time.RFC3339))
	if p.Status != "SCHEDULED" || p.PublishedAt != at.Format(time.RFC3339) {
		t.Errorf("scheduled: status %s publishedAt %s", p.Status, p.PublishedAt)
	}
	if e.public(a.Slug) != nil || listed("", "") || searched() || !listed(news.RoleEditor, "SCHEDULED") {
		t.Error("scheduled: visible to the public, or missing from the editors' scheduled list")
	}
	// The time comes: visible, listed and searchable with nothing else done.
	e.Clock.Add(time.Hour)
	if got := e.public(a.Slug); got == nil || got.Status != "PUBLISHED" {
		t.Fatalf("after its time: %+v", got)
	}
	if !listed("", "") || !searched() || listed(news.RoleEditor, "SCHEDULED") {
		t.Error("published: not listed or not searchable, or still scheduled")
	}
	var cat struct {
		Category struct {
			Articles struct{ Nodes []struct{ Slug string } }
		}
	}
	e.must("", `{ category(slug: "thoi-su") { articles(first: 1) { nodes { slug } } } }`, nil, &cat)
	if len(cat.Category.Articles.Nodes) == 0 || cat.Category.Articles.Nodes[0].Slug != a.Slug {
		t.Errorf("parent category's newest: %+v, want %s", cat.Category.Articles.Nodes, a.Slug)
	}

	// Unpublished: gone from the public, a draft again.
	var un struct{ UnpublishArticle struct{ Article edited } }
	e.must(news.RoleEditor, `mutation($id: ID!) { unpublishArticle(id: $id) { article { `+editedFields+` } } }`, map[string]any{"id": a.ID}, &un)
	if un.UnpublishArticle.Article.Status != "DRAFT" || e.public(a.Slug) != nil || listed("", "") || searched() {
		t.Error("unpublished: still public")
	}
	// Published again without a time: it keeps its publish time.
	if p := e.publish(a.ID, ""); p.Status != "PUBLISHED" || p.PublishedAt != at.Format(time.RFC3339) || e.public(a.Slug) == nil {
		t.Errorf("republished: %s at %s", p.Status, p.PublishedAt)
	}
	var ar struct{ ArchiveArticle struct{ Article edited } }
	e.must(news.RoleEditor, `mutation($id: ID!) { archiveArticle(id: $id) { article { `+editedFields+` } } }`, map[string]any{"id": a.ID}, &ar)
	if ar.ArchiveArticle.Article.Status != "ARCHIVED" || e.public(a.Slug) != nil || !listed(news.RoleEditor, "ARCHIVED") || searched() {
		t.Error("archived: still public, or not in the editors' archive")
	}

	// A draft published without any time goes out now.
	b := e.create(map[string]any{"title": "Tin nóng trong ngày"})
	if p := e.publish(b.ID, ""); p.Status != "PUBLISHED" || p.PublishedAt != e.Clock.Now().Format(time.RFC3339) {
		t.Errorf("published now: %s at %s, now %s", p.Status, p.PublishedAt, e.Clock.Now().Format(time.RFC3339))
	}
}

func TestUpdateConflictAndRevisions(t *testing.T) {
	e := newEditEnv(t)
	a := e.create(map[string]any{"title": "Bản nháp đầu tiên", "excerpt": "Sapo một"})
	const update = `mutation($id: ID!, $in: UpdateArticleInput!, $at: DateTime!) {
		updateArticle(id: $id, input: $in, expectedUpdatedAt: $at) { article { ` + editedFields + ` } } }`
	var first struct{ UpdateArticle struct{ Article edited } }
	e.must(news.RoleEditor, update, map[string]any{"id": a.ID, "at": a.UpdatedAt,
		"in": map[string]any{"title": "Bản thứ hai", "tags": []string{"hai-phong"}}}, &first)
	v2 := first.UpdateArticle.Article
	if v2.Title != "Bản thứ hai" || v2.Excerpt != "Sapo một" || v2.Slug != a.Slug || v2.UpdatedAt == a.UpdatedAt {
		t.Errorf("after the update: %+v (was %+v)", v2, a)
	}
	// A second editor who loaded the first version: conflict, nothing changes.
	e.fails(news.RoleEditor, news.ECONFLICT, "expectedUpdatedAt", update, map[string]any{"id": a.ID, "at": a.UpdatedAt,
		"in": map[string]any{"title": "Ghi đè của người khác", "excerpt": "Sapo khác"}})
	if got := e.preview(a.Slug); got.Title != "Bản thứ hai" || got.Excerpt != "Sapo một" || got.UpdatedAt != v2.UpdatedAt {
		t.Errorf("after the refused update: %+v", got)
	}
	// Updates in the same millisecond still get distinct versions.
	var third struct{ UpdateArticle struct{ Article edited } }
	e.must(news.RoleEditor, update, map[string]any{"id": a.ID, "at": v2.UpdatedAt,
		"in": map[string]any{"excerpt": "Sapo ba", "coverImage": map[string]any{"url": "https://example.com/a.jpg", "caption": "Ảnh"}}}, &third)
	v3 := third.UpdateArticle.Article
	if v3.UpdatedAt == v2.UpdatedAt || v3.CoverImage == nil || v3.CoverImage.Caption != "Ảnh" {
		t.Errorf("third version: %+v", v3)
	}
	e.fails(news.RoleEditor, news.ECONFLICT, "expectedUpdatedAt", update, map[string]any{"id": a.ID, "at": v2.UpdatedAt,
		"in": map[string]any{"title": "Muộn"}})
	// coverImage: null removes the photo; leaving it out keeps it.
	var fourth struct{ UpdateArticle struct{ Article edited } }
	e.must(news.RoleEditor, update, map[string]any{"id": a.ID, "at": v3.UpdatedAt, "in": map[string]any{"coverImage": nil}}, &fourth)
	if fourth.UpdateArticle.Article.CoverImage != nil {
		t.Error("coverImage: null kept the photo")
	}

	type rev struct {
		Number          int
		Action, Editor  string
		Title, Excerpt  string
		Status, SavedAt string
	}
	var data struct {
		Article struct{ Revisions []rev }
	}
	e.must(news.RoleEditor, `query($s: String) { article(slug: $s) { revisions { number action editor title excerpt status savedAt } } }`,
		map[string]any{"s": a.Slug}, &data)
	revs := data.Article.Revisions
	if len(revs) != 3 {
		t.Fatalf("%d revisions, want 3: %+v", len(revs), revs)
	}
	if revs[0].Number != 3 || revs[2].Number != 1 || revs[2].Title != "Bản nháp đầu tiên" || revs[1].Title != "Bản thứ hai" ||
		revs[1].Excerpt != "Sapo một" || revs[2].Action != "update" || revs[2].Editor != "test editor" || revs[2].Status != "DRAFT" {
		t.Errorf("revisions = %+v", revs)
	}
	// Revisions are for editors only.
	e.publish(a.ID, "")
	for role, code := range map[news.Role]string{"": news.EUNAUTHENTICATED, news.RolePartner: news.EFORBIDDEN} {
		e.fails(role, code, "", `query($s: String) { article(slug: $s) { title revisions { number } } }`, map[string]any{"s": a.Slug})
	}
}

func TestSanitisedBody(t *testing.T) {
	e := newEditEnv(t)
	for _, payload := range []string{
		`<script>alert(1)</script>`,
		`<img src=x onerror=alert(1)>`,
		`<a href="javascript:alert(1)">bấm</a>`,
		`<a href="JaVaScRiPt:alert(1)">bấm</a>`,
		`<a href="&#106;avascript:alert(1)">bấm</a>`,
		`<iframe src="https://evil.example"></iframe>`,
		`<svg onload=alert(1)><circle/></svg>`,
		`<body onload=alert(1)>`,
		`<div style="background:url(javascript:alert(1))">x</div>`,
		`<form action="https://evil.example"><input name=x></form>`,
		`<object data="x.swf"></object><embed src="x.swf">`,
		`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
		`<p onclick="alert(1)">đoạn</p>`,
		`<meta http-equiv="refresh" content="0;url=https://evil.example">`,
		`<base href="https://evil.example/">`,
		`<img src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">`,
		`"><script>alert(1)</script>`,
		`<scr<script>ipt>alert(1)</script>`,
	} {
		a := e.create(map[string]any{"title": "Kiểm tra an toàn", "bodyHtml": "<p>Trước</p>" + payload + "<p>Sau</p>"})
		low := strings.ToLower(a.BodyHTML)
		for _, bad := range []string{"<script", "onerror", "onload", "onclick", "javascript:", "<iframe", "<object", "<embed",
			"<style", "<form", "<input", "<meta", "<base", "<svg", "data:text/html", "alert(1)</"} {
			if strings.Contains(low, bad) {
				t.Errorf("%s: stored body %q contains %q", payload, a.BodyHTML, bad)
			}
		}
		// What follows an unclosed raw-text element (<style>) is its text,
		// and dropped with it: only what comes before must survive.
		if !strings.HasPrefix(a.BodyHTML, "<p>Trước</p>") {
			t.Errorf("%s: ordinary markup lost: %q", payload, a.BodyHTML)
		}
	}
	// Ordinary newsroom markup survives, figures with captions included.
	body := `<p>Chiều 10/10, <strong>Sở</strong> tổ chức <em>tập huấn</em>; xem <a href="https://haiphong.gov.vn/tin">chi tiết</a>.</p>` +
		`<figure><img src="https://example.com/anh.jpg" alt="Hội nghị"><figcaption>Các đại biểu dự hội nghị</figcaption></figure>` +
		`<h2>Nội dung</h2><ul><li>Một</li></ul><blockquote>Trích dẫn</blockquote>`
	a := e.create(map[string]any{"title": "Bài có ảnh", "bodyHtml": body})
	for _, keep := range []string{"<strong>Sở</strong>", "<em>tập huấn</em>", `href="https://haiphong.gov.vn/tin"`,
		"<figure>", `src="https://example.com/anh.jpg"`, `alt="Hội nghị"`, "<figcaption>Các đại biểu dự hội nghị</figcaption>",
		"<h2>Nội dung</h2>", "<li>Một</li>", "<blockquote>Trích dẫn</blockquote>"} {
		if !strings.Contains(a.BodyHTML, keep) {
			t.Errorf("body lost %q: %s", keep, a.BodyHTML)
		}
	}
	// Titles are plain text: stored as typed, never turned into markup.
	b := e.create(map[string]any{"title": `<b>Tin</b> "nóng" & mới`})
	if b.Title != `<b>Tin</b> "nóng" & mới` {
		t.Errorf("title = %q", b.Title)
	}
}

func TestValidation(t *testing.T) {
	e := newEditEnv(t)
	long := strings.Repeat("dài ", 100)
	base := map[string]any{"title": "Tin", "category": "do-thi", "authors": []string{"thu-ha"}}
	with := func(k string, v any) map[string]any {
		m := map[string]any{}
		for kk, vv := range base {
			m[kk] = vv
		}
		m[k] = v
		return map[string]any{"input": m}
	}
	for _, tc := range []struct {
		name, field string
		vars        map[string]any
	}{
		{"blank title", "title", with("title", "   ")},
		{"punctuation title", "title", with("title", "!!!")},
		{"long title", "title", with("title", long)},
		{"long excerpt", "excerpt", with("excerpt", strings.Repeat(long, 6))},
		{"unknown category", "category", with("category", "khong-co")},
		{"unknown author", "authors", with("authors", []string{"thu-ha", "khong-co"})},
		{"no author", "authors", with("authors", []string{})},
		{"bad slug", "slug", with("slug", "Có Dấu")},
		{"cover not a URL", "coverImage.url", with("coverImage", map[string]any{"url": "anh.jpg"})},
		{"cover javascript URL", "coverImage.url", with("coverImage", map[string]any{"url": "javascript:alert(1)"})},
		{"negative width", "coverImage", with("coverImage", map[string]any{"url": "https://x.vn/a.jpg", "width": -1})},
		{"blank tag", "tags", with("tags", []string{"  "})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.fails(news.RoleEditor, news.EINVALID, tc.field, createArticle, tc.vars)
		})
	}
	t.Run("invalid date", func(t *testing.T) {
		_, r := e.as(news.RoleEditor, createArticle, with("publishedAt", "hôm qua"), nil)
		if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != news.EINVALID || r.Errors[0].Extensions["field"] != "publishedAt" ||
			!strings.HasPrefix(r.Errors[0].Message, "publishedAt: ") {
			t.Errorf("errors = %+v", r.Errors)
		}
	})
	t.Run("bad ids", func(t *testing.T) {
		e.fails(news.RoleEditor, news.EINVALID, "id", `mutation { publishArticle(id: "xyz") { article { id } } }`, nil)
		e.fails(news.RoleEditor, news.EINVALID, "id", `mutation($id: ID!) { publishArticle(id: $id) { article { id } } }`,
			map[string]any{"id": news.NodeID(news.KindTag, 1)})
		e.fails(news.RoleEditor, news.ENOTFOUND, "", `mutation($id: ID!) { publishArticle(id: $id) { article { id } } }`,
			map[string]any{"id": news.NodeID(news.KindArticle, 99999)})
	})
	a := e.create(map[string]any{"title": "Bài gốc"})
	t.Run("pins", func(t *testing.T) {
		const pin = `mutation($id: ID!, $r: [ID!]!) { pinRelated(id: $id, related: $r) { article { id } } }`
		e.fails(news.RoleEditor, news.EINVALID, "related", pin, map[string]any{"id": a.ID, "r": []string{a.ID}})
		e.fails(news.RoleEditor, news.EINVALID, "related", pin, map[string]any{"id": a.ID, "r": []string{news.NodeID(news.KindArticle, 99999)}})
	})
	t.Run("update needs a version", func(t *testing.T) {
		e.fails(news.RoleEditor, "GRAPHQL_VALIDATION_FAILED", "", `mutation($id: ID!) { updateArticle(id: $id, input: {title: "x"}) { article { id } } }`,
			map[string]any{"id": a.ID})
	})
	t.Run("taxonomy", func(t *testing.T) {
		e.fails(news.RoleEditor, news.EINVALID, "name", `mutation { createAuthor(input: {name: " "}) { author { id } } }`, nil)
		e.fails(news.RoleEditor, news.EINVALID, "avatarUrl", `mutation { createAuthor(input: {name: "Lan", avatarUrl: "javascript:alert(1)"}) { author { id } } }`, nil)
		e.fails(news.RoleEditor, news.ECONFLICT, "slug", `mutation { createTag(input: {name: "Hải Phòng"}) { tag { id } } }`, nil)
		e.fails(news.RoleAdmin, news.EINVALID, "parent", `mutation { createCategory(input: {name: "Mới", parent: "khong-co"}) { category { id } } }`, nil)
		// thoi-su (1) under its own child chinh-tri: a cycle.
		e.fails(news.RoleAdmin, news.EINVALID, "parent", `mutation($id: ID!) { updateCategory(id: $id, input: {parent: "chinh-tri"}) { category { id } } }`,
			map[string]any{"id": news.NodeID(news.KindCategory, 1)})
		e.fails(news.RoleAdmin, news.ECONFLICT, "slug", `mutation($id: ID!) { updateCategory(id: $id, input: {slug: "kinh-te"}) { category { id } } }`,
			map[string]any{"id": news.NodeID(news.KindCategory, 1)})
	})
}

func TestCategoryMoveAndTaxonomy(t *testing.T) {
	e := newEditEnv(t)
	// do-thi moves from thoi-su to kinh-te: its stories follow it.
	var cats struct{ Category struct{ ID string } }
	e.must("", `{ category(slug: "do-thi") { id } }`, nil, &cats)
	count := func(slug string) int {
		var data struct {
			Category struct{ Articles struct{ TotalCount int } }
		}
		e.must("", `query($s: String!) { category(slug: $s) { articles { totalCount } } }`, map[string]any{"s": slug}, &data)
		return data.Category.Articles.TotalCount
	}
	doThi, thoiSu, kinhTe := count("do-thi"), count("thoi-su"), count("kinh-te")
	if doThi == 0 {
		t.Fatal("no stories in do-thi")
	}
	var moved struct {
		UpdateCategory struct {
			Category struct{ Parent struct{ Slug string } }
		}
	}
	e.must(news.RoleAdmin, `mutation($id: ID!) { updateCategory(id: $id, input: {parent: "kinh-te", name: "Đô thị & Hạ tầng"}) { category { parent { slug } } } }`,
		map[string]any{"id": cats.Category.ID}, &moved)
	if moved.UpdateCategory.Category.Parent.Slug != "kinh-te" {
		t.Errorf("parent = %+v", moved.UpdateCategory.Category.Parent)
	}
	if count("thoi-su") != thoiSu-doThi || count("kinh-te") != kinhTe+doThi || count("do-thi") != doThi {
		t.Errorf("after the move: thoi-su %d (was %d), kinh-te %d (was %d), do-thi %d", count("thoi-su"), thoiSu, count("kinh-te"), kinhTe, count("do-thi"))
	}
	// Top-level again.
	e.must(news.RoleAdmin, `mutation($id: ID!) { updateCategory(id: $id, input: {parent: ""}) { category { id } } }`, map[string]any{"id": cats.Category.ID}, nil)
	if count("kinh-te") != kinhTe {
		t.Errorf("kinh-te %d after moving do-thi out, want %d", count("kinh-te"), kinhTe)
	}

	var au struct {
		CreateAuthor struct {
			Author struct{ ID, Slug, Name string }
		}
	}
	e.must(news.RoleEditor, `mutation { createAuthor(input: {name: "Nguyễn Thị Đào", bio: "Phóng viên"}) { author { id slug name } } }`, nil, &au)
	if au.CreateAuthor.Author.Slug != "nguyen-thi-dao" {
		t.Errorf("author = %+v", au.CreateAuthor.Author)
	}
	var up struct {
		UpdateAuthor struct {
			Author struct{ Slug, Name, Bio string }
		}
	}
	e.must(news.RoleEditor, `mutation($id: ID!) { updateAuthor(id: $id, input: {name: "Nguyễn Đào", slug: "nguyen-dao"}) { author { slug name bio } } }`,
		map[string]any{"id": au.CreateAuthor.Author.ID}, &up)
	if up.UpdateAuthor.Author != (struct{ Slug, Name, Bio string }{"nguyen-dao", "Nguyễn Đào", "Phóng viên"}) {
		t.Errorf("updated author = %+v", up.UpdateAuthor.Author)
	}
	// The new byline can sign a story, which then lists under the author.
	a := e.create(map[string]any{"title": "Bài của Đào", "authors": []string{"nguyen-dao"}})
	e.publish(a.ID, "")
	var byAuthor struct {
		Author struct {
			Articles struct{ Nodes []struct{ Slug string } }
		}
	}
	e.must("", `{ author(slug: "nguyen-dao") { articles { nodes { slug } } } }`, nil, &byAuthor)
	if len(byAuthor.Author.Articles.Nodes) != 1 || byAuthor.Author.Articles.Nodes[0].Slug != a.Slug {
		t.Errorf("author's articles = %+v", byAuthor.Author.Articles.Nodes)
	}
}

func TestPinRelated(t *testing.T) {
	e := newEditEnv(t)
	seed := e.public(seedSlug)
	a := e.create(map[string]any{"title": "Bài ghim một"})
	b := e.create(map[string]any{"title": "Bài ghim hai"})
	e.publish(a.ID, "")
	e.publish(b.ID, "")
	e.must(news.RoleEditor, `mutation($id: ID!, $r: [ID!]!) { pinRelated(id: $id, related: $r) { article { id } } }`,
		map[string]any{"id": seed.ID, "r": []string{b.ID, a.ID}}, nil)
	var data struct {
		Article struct{ Related []struct{ Slug string } }
	}
	e.must("", `query($s: String) { article(slug: $s) { related(first: 5) { slug } } }`, map[string]any{"s": seedSlug}, &data)
	if len(data.Article.Related) != 5 || data.Article.Related[0].Slug != b.Slug || data.Article.Related[1].Slug != a.Slug {
		t.Errorf("related = %+v, want %s, %s first", data.Article.Related, b.Slug, a.Slug)
	}
}

func TestWritesSurviveRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "newsdesk.db")
	ctx := context.Background()
	c := servertest.NewClock()
	open := func() *sqlite.DB {
		db, err := sqlite.Open(ctx, path, sqlite.Options{Now: c.Now})
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	db := open()
	if err := demo.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	e := &editEnv{Env: servertest.StartWith(t, db, c), t: t}
	a := e.create(map[string]any{"title": "Tin lưu bền", "excerpt": "Sapo", "tags": []string{"Bền vững"}})
	var up struct{ UpdateArticle struct{ Article edited } }
	e.must(news.RoleEditor, `mutation($id: ID!, $at: DateTime!) { updateArticle(id: $id, input: {title: "Tin lưu bền vững"}, expectedUpdatedAt: $at) { article { `+editedFields+` } } }`,
		map[string]any{"id": a.ID, "at": a.UpdatedAt}, &up)
	p := e.publish(a.ID, "")
	e.Srv.Close()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = open()
	t.Cleanup(func() { db.Close() })
	e2 := &editEnv{Env: servertest.StartWith(t, db, c), t: t}
	got := e2.public(a.Slug)
	if got == nil || got.Title != "Tin lưu bền vững" || got.Excerpt != "Sapo" || got.UpdatedAt != p.UpdatedAt ||
		got.PublishedAt != p.PublishedAt || len(got.Tags) != 1 || got.Tags[0].Name != "Bền vững" {
		t.Fatalf("after restart: %+v, want %+v", got, p)
	}
	var revs struct {
		Article struct{ Revisions []struct{ Title string } }
	}
	e2.must(news.RoleEditor, `query($s: String) { article(slug: $s) { revisions { title } } }`, map[string]any{"s": a.Slug}, &revs)
	if len(revs.Article.Revisions) != 2 || revs.Article.Revisions[1].Title != "Tin lưu bền" {
		t.Errorf("revisions after restart: %+v", revs.Article.Revisions)
	}
}

func ptr[T any](v T) *T { return &v }
