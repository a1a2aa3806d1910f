package graph_test

import (
	"strings"
	"testing"
)

type searchResult struct {
	Search struct {
		TotalCount int
		Edges      []struct {
			Cursor    string
			Score     float64
			Node      struct{ Slug, Title string }
			Highlight struct{ Title, Snippet string }
		}
		PageInfo struct {
			HasNextPage, HasPreviousPage bool
			StartCursor, EndCursor       *string
		}
	}
}

const searchQuery = `query($q: String!, $first: Int, $after: String, $last: Int, $before: String, $order: SearchOrder, $filter: ArticleFilter) {
	search(query: $q, first: $first, after: $after, last: $last, before: $before, orderBy: $order, filter: $filter) {
		totalCount
		edges { cursor score node { slug title } highlight { title snippet } }
		pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
	}
}`

func (e *env) search(vars map[string]any) searchResult {
	e.t.Helper()
	var r searchResult
	e.ok(searchQuery, vars, &r)
	return r
}

func slugs(r searchResult) []string {
	out := make([]string, len(r.Search.Edges))
	for i, ed := range r.Search.Edges {
		out[i] = ed.Node.Slug
	}
	return out
}

const duongKinhSlug = "phat-45-trieu-dong-1-y-si-o-phuong-duong-kinh-kham-chua-benh-khong-phep"

// TestSearchMatching: accents, case and đ fold; all words must match; the
// last word is a prefix while typing.
func TestSearchMatching(t *testing.T) {
	e := newEnv(t)
	for _, q := range []string{"duong kinh", "DƯƠNG KINH", "Duong Kinh", "dương kinh", "Dương Kinh "} {
		r := e.search(map[string]any{"q": q, "first": 50})
		found := false
		for _, s := range slugs(r) {
			found = found || s == duongKinhSlug
		}
		if !found {
			t.Errorf("%q does not find the Dương Kinh story; got %v", q, slugs(r))
		}
	}
	// đ folds to d both ways.
	for _, q := range []string{"dong", "đồng", "ĐỒNG"} {
		if r := e.search(map[string]any{"q": q}); r.Search.TotalCount < 5 {
			t.Errorf("%q finds %d, want the many đồng/Đông stories", q, r.Search.TotalCount)
		}
	}
	// Prefix on the last term as the user types.
	r := e.search(map[string]any{"q": "tập hu"})
	if len(r.Search.Edges) == 0 || r.Search.Edges[0].Node.Slug != seedSlug {
		t.Errorf("'tập hu' first result %v, want the tập huấn story", slugs(r))
	}
	// With a trailing space the last word is whole: "hu" alone matches nothing.
	if r := e.search(map[string]any{"q": "tập hu "}); r.Search.TotalCount != 0 {
		t.Errorf("'tập hu ' (complete words) found %d, want 0", r.Search.TotalCount)
	}
	// Every word must match.
	if r := e.search(map[string]any{"q": "Dương Kinh xe buýt"}); r.Search.TotalCount != 0 {
		t.Errorf("words from different stories found %v", slugs(r))
	}
	// Only published stories: the scheduled 2030 story and the drafts never show.
	for _, q := range []string{"quy hoạch phân khu phía Nam", "vắc xin sởi", "container trọng tải"} {
		if r := e.search(map[string]any{"q": q}); r.Search.TotalCount != 0 {
			t.Errorf("%q finds unpublished %v", q, slugs(r))
		}
	}
}

func TestSearchRanking(t *testing.T) {
	e := newEnv(t)
	// Title matches rank above body-only matches.
	r := e.search(map[string]any{"q": "Hải Phòng", "first": 50})
	lastTitle, firstBodyOnly := -1, len(r.Search.Edges)
	for i, ed := range r.Search.Edges {
		if strings.Contains(ed.Node.Title, "Hải Phòng") {
			lastTitle = i
		} else if i < firstBodyOnly {
			firstBodyOnly = i
		}
	}
	if lastTitle < 0 || lastTitle > firstBodyOnly {
		t.Errorf("a body-only match (at %d) ranks above a title match (at %d): %v", firstBodyOnly, lastTitle, slugs(r))
	}
	// Exact accents rank above folded-only matches: "đồng" before "động"/"Đông".
	r = e.search(map[string]any{"q": "đồng", "first": 3})
	if len(r.Search.Edges) == 0 || !strings.Contains(strings.ToLower(r.Search.Edges[0].Node.Title), "đồng") {
		t.Errorf("'đồng' ranks %v first, want a title with đồng", slugs(r))
	}
	// A phrase in the title ranks first.
	r = e.search(map[string]any{"q": "chùa thanh mai"})
	if len(r.Search.Edges) == 0 || r.Search.Edges[0].Node.Slug != "kham-pha-khu-rung-co-quanh-chua-thanh-mai" {
		t.Errorf("'chùa thanh mai' ranks %v", slugs(r))
	}
	// Scores never increase down the list.
	r = e.search(map[string]any{"q": "thành phố", "first": 100})
	for i := 1; i < len(r.Search.Edges); i++ {
		if r.Search.Edges[i].Score > r.Search.Edges[i-1].Score {
			t.Errorf("score rises at %d: %v > %v", i, r.Search.Edges[i].Score, r.Search.Edges[i-1].Score)
		}
	}
	// NEWEST is by date.
	r = e.search(map[string]any{"q": "Hải Phòng", "order": "NEWEST", "first": 3})
	if got := slugs(r); len(got) != 3 || got[0] != "quang-ba-am-thuc-hai-phong-tai-hoi-cho-du-lich-quoc-te" {
		t.Errorf("NEWEST: %v", got)
	}
}

func TestSearchHighlight(t *testing.T) {
	e := newEnv(t)
	r := e.search(map[string]any{"q": "duong kinh", "filter": map[string]any{"category": "xa-hoi"}, "order": "NEWEST", "first": 50})
	var hit *struct{ Title, Snippet string }
	for i, ed := range r.Search.Edges {
		if ed.Node.Slug == duongKinhSlug {
			hit = &r.Search.Edges[i].Highlight
		}
	}
	if hit == nil {
		t.Fatalf("filtered search misses the story: %v", slugs(r))
	}
	if want := "Phạt 45 triệu đồng 1 y sĩ ở phường <mark>Dương</mark> <mark>Kinh</mark> khám chữa bệnh không phép"; hit.Title != want {
		t.Errorf("title highlight\n got %s\nwant %s", hit.Title, want)
	}
	if !strings.Contains(hit.Snippet, "<mark>Dương</mark> <mark>Kinh</mark>") || strings.Count(hit.Snippet, "<mark>") != strings.Count(hit.Snippet, "</mark>") {
		t.Errorf("snippet %q", hit.Snippet)
	}
	// Everything else is escaped.
	r = e.search(map[string]any{"q": "vàng"})
	for _, ed := range r.Search.Edges {
		if strings.Contains(ed.Highlight.Title, "‘") && !strings.Contains(ed.Highlight.Title, "<mark>vàng</mark>") {
			t.Errorf("title highlight %q", ed.Highlight.Title)
		}
	}
}

func TestSearchPagination(t *testing.T) {
	e := newEnv(t)
	for _, order := range []string{"RELEVANCE", "NEWEST"} {
		all := e.search(map[string]any{"q": "thành phố", "first": 100, "order": order})
		want := slugs(all)
		if len(want) < 10 || all.Search.TotalCount != len(want) {
			t.Fatalf("%s: %d results, totalCount %d", order, len(want), all.Search.TotalCount)
		}
		var forward []string
		vars := map[string]any{"q": "thành phố", "first": 4, "order": order}
		for {
			r := e.search(vars)
			forward = append(forward, slugs(r)...)
			if !r.Search.PageInfo.HasNextPage {
				break
			}
			vars["after"] = *r.Search.PageInfo.EndCursor
		}
		var backward []string
		vars = map[string]any{"q": "thành phố", "last": 4, "order": order}
		for {
			r := e.search(vars)
			backward = append(slugs(r), backward...)
			if !r.Search.PageInfo.HasPreviousPage {
				break
			}
			vars["before"] = *r.Search.PageInfo.StartCursor
		}
		if strings.Join(forward, " ") != strings.Join(want, " ") {
			t.Errorf("%s forward walk:\n got %v\nwant %v", order, forward, want)
		}
		if strings.Join(backward, " ") != strings.Join(want, " ") {
			t.Errorf("%s backward walk:\n got %v\nwant %v", order, backward, want)
		}
	}
}

func TestSearchHostileInput(t *testing.T) {
	e := newEnv(t)
	for _, q := range []string{
		`"`, `""`, `'`, `"unterminated`, `AND`, `OR OR OR`, `NEAR(a b)`, `a NOT b`, `*`, `-`, `:`, `^`, `(`, `)`,
		`title:duong`, `{title}: x`, `"duong" "kinh"*`, `'; DROP TABLE articles; --`, `1=1 OR`, "\x00",
		"duong\x00kinh", `%_\`, `<script>alert(1)</script>`, strings.Repeat("a", 199),
	} {
		r := e.do(searchQuery, map[string]any{"q": q}, nil)
		for _, er := range r.Errors {
			if code, _ := er.Extensions["code"].(string); code != "BAD_USER_INPUT" {
				t.Errorf("query %q: error %q (%s), want results or BAD_USER_INPUT", q, er.Message, code)
			}
		}
	}
	for _, q := range []string{"", "   ", "!!!", strings.Repeat("tin ", 2600)} {
		r := e.do(searchQuery, map[string]any{"q": q}, nil)
		if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
			t.Errorf("query of %d bytes: %+v, want BAD_USER_INPUT", len(q), r.Errors)
		}
	}
	// The store is unharmed.
	if r := e.search(map[string]any{"q": "duong kinh"}); r.Search.TotalCount == 0 {
		t.Error("search broken after hostile input")
	}
}
