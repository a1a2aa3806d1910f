package rest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/server/servertest"
	"github.com/newsdesk/newsdesk/internal/sqlite"
	"github.com/newsdesk/newsdesk/internal/sqlite/sqlitetest"
)

const draftSlug = "kinh-te-bien-tiep-tuc-la-dong-luc-tang-truong-cua-thanh-pho"

// TestListPieces: a list whose articles come from the fragment cache is,
// byte for byte, the list encoded afresh, before and after the articles
// change: an edit and a scheduled time passing show on the next request.
func TestListPieces(t *testing.T) {
	ctx := context.Background()
	c := servertest.NewClock()
	db := sqlitetest.OpenDemo(t, sqlite.Options{Now: c.Now})
	// One server renders every article afresh, the other keeps the pieces.
	plain, kept := servertest.StartPieces(t, db, c)
	// same checks that the kept handler answers path as the plain one, the
	// first time (rendering the pieces) and the second (copying them).
	same := func(path string, role news.Role) string {
		t.Helper()
		want := plain.GetOK(t, path, role)
		for i := range 2 {
			if got := kept.GetOK(t, path, role); got != want {
				t.Fatalf("GET %s (%d): with pieces\n%s\nwithout\n%s", path, i, got, want)
			}
		}
		return want
	}

	paths := []string{
		"/v1/articles?limit=5",
		"/v1/articles?limit=3&fields=title,authors,tags",
		"/v1/articles?limit=2&fields=bodyHtml",
		"/v1/articles?limit=4&category=thoi-su",
		"/v1/articles/" + seedSlug + "/related",
		"/v1/articles?limit=100&tag=khong-co",
	}
	for _, p := range paths {
		same(p, "")
	}
	if !strings.Contains(same("/v1/articles?limit=5", ""), `"nextCursor":"`) {
		t.Error("the page of 5 has no next cursor")
	}
	if got := same("/v1/articles?limit=100&tag=khong-co", ""); got != "{\"items\":[]}\n" {
		t.Errorf("an empty list: %q", got)
	}
	if kept.Metric(t, `newsdesk_fragment_cache_requests_total{result="hit"}`) == 0 {
		t.Fatal("no list took an article from the cache")
	}

	// An edit: the next list shows it.
	first, err := db.FindArticles(ctx, news.ArticleFilter{}, news.Page{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	a := first.Items[0]
	if _, err := db.UpdateArticle(ctx, a.ID, a.UpdatedAt, news.ArticleUpdate{Title: ptr("Tiêu đề đã sửa")}); err != nil {
		t.Fatal(err)
	}
	if got := same("/v1/articles?limit=5", ""); !strings.Contains(got, "Tiêu đề đã sửa") {
		t.Errorf("after an edit the list shows %s", got)
	}

	// A story scheduled an hour ahead is SCHEDULED to an editor, then
	// PUBLISHED once the clock passes its time (the newest of the
	// published list), from the same view: its piece is not the one kept
	// while it was scheduled.
	draft, err := db.Preview().ArticleBySlug(ctx, draftSlug)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.PublishArticle(ctx, draft.ID, c.Now().Add(time.Hour), time.Time{}); err != nil {
		t.Fatal(err)
	}
	entry := `"slug":"` + draftSlug + `","status":`
	if got := same("/v1/articles?status=scheduled&fields=status", news.RoleEditor); !strings.Contains(got, entry+`"SCHEDULED"`) {
		t.Fatalf("scheduled: %s", got)
	}
	c.Add(2 * time.Hour)
	if got := same("/v1/articles?status=published&fields=status&limit=1", news.RoleEditor); !strings.Contains(got, entry+`"PUBLISHED"`) {
		t.Errorf("after its time: %s", got)
	}
}
