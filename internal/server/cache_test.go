package server_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/server/servertest"
)

// cacheCount reads the response cache's hits or misses from /metrics.
func cacheCount(t *testing.T, e *servertest.Env, result string) int {
	t.Helper()
	return e.Metric(t, `newsdesk_response_cache_requests_total{result="`+result+`"}`)
}

// TestResponseCacheNeverServesStale: public answers come from the cache
// until something changes them — a publish, an edit, an unpublish, or a
// scheduled story's time — and the very next request sees the change.
func TestResponseCacheNeverServesStale(t *testing.T) {
	e := servertest.Start(t)
	ctx := context.Background()
	list := "/v1/articles?limit=3&fields=title"
	gql := "/graphql?query=" + "%7Barticles(first%3A3)%7Bnodes%7Btitle%7D%7D%7D"
	get := func(path string) []byte {
		t.Helper()
		resp, body := e.Get(t, path, "", nil)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		return body
	}
	// Warm, then hit.
	get(list)
	get(gql)
	hits := cacheCount(t, e, "hit")
	first := get(list)
	get(gql)
	if got := cacheCount(t, e, "hit"); got != hits+2 {
		t.Fatalf("hits %d -> %d, want two more", hits, got)
	}

	a, err := e.DB.CreateArticle(ctx, news.ArticleUpdate{Title: ptr("Tin vừa đăng"), Category: ptr("do-thi"), Authors: []string{"thu-ha"}})
	if err != nil {
		t.Fatal(err)
	}
	a, _ = e.DB.PublishArticle(ctx, a.ID, time.Time{}, time.Time{})
	if !bytes.Contains(get(list), []byte("Tin vừa đăng")) || !bytes.Contains(get(gql), []byte("Tin vừa đăng")) {
		t.Error("a publish not seen on the next request")
	}
	a, _ = e.DB.UpdateArticle(ctx, a.ID, a.UpdatedAt, news.ArticleUpdate{Title: ptr("Tin vừa sửa")})
	if !bytes.Contains(get(list), []byte("Tin vừa sửa")) || !bytes.Contains(get("/v1/articles/"+a.Slug), []byte("Tin vừa sửa")) {
		t.Error("an edit not seen on the next request")
	}
	if _, err := e.DB.UnpublishArticle(ctx, a.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(get(list), []byte("Tin vừa sửa")) {
		t.Error("an unpublish not seen on the next request")
	}
	if resp, _ := e.Get(t, "/v1/articles/"+a.Slug, "", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the unpublished story: %d", resp.StatusCode)
	}
	if !bytes.Equal(get(list), first) {
		t.Error("the list did not return to what it was")
	}

	// Scheduled 25 s on: cached answers expire at that time (before their
	// 30 s maximum age).
	b, _ := e.DB.CreateArticle(ctx, news.ArticleUpdate{Title: ptr("Tin hẹn giờ"), Category: ptr("do-thi"), Authors: []string{"thu-ha"}})
	if _, err := e.DB.PublishArticle(ctx, b.ID, e.Clock.Now().Add(25*time.Second), time.Time{}); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(get(list), []byte("Tin hẹn giờ")) {
		t.Fatal("a scheduled story shown early")
	}
	e.Clock.Add(20 * time.Second)
	before := cacheCount(t, e, "hit")
	get(list)
	if cacheCount(t, e, "hit") != before+1 {
		t.Error("nothing changed, yet the cache missed")
	}
	e.Clock.Add(5 * time.Second)
	if !bytes.Contains(get(list), []byte("Tin hẹn giờ")) {
		t.Error("a scheduled story's time passed, yet the cache served the old list")
	}

	// Keyed requests never come from (or go into) the cache.
	before = cacheCount(t, e, "hit")
	e.Get(t, list, news.RoleEditor, nil)
	e.Get(t, list, news.RoleEditor, nil)
	if cacheCount(t, e, "hit") != before {
		t.Error("a keyed request was answered from the cache")
	}
}
func ptr[T any](v T) *T { return &v }
