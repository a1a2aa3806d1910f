package sqlite_test

import (
	"context"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/sqlite"
	"github.com/newsdesk/newsdesk/internal/sqlite/sqlitetest"
)

// TestFullOrReadOnlyDatabase: writes get a clear UNAVAILABLE error and
// write nothing; reads go on working.
func TestFullOrReadOnlyDatabase(t *testing.T) {
	db := sqlitetest.OpenDemo(t, sqlite.Options{})
	ctx := context.Background()
	write := func(title string) error {
		_, err := db.CreateArticle(ctx, news.ArticleUpdate{Title: ptr(title), Category: ptr("do-thi"), Authors: []string{"thu-ha"},
			BodyHTML: ptr("<p>" + strings.Repeat("Nội dung dài. ", 40000) + "</p>")})
		return err
	}
	read := func() {
		t.Helper()
		if a, err := db.ArticleBySlug(ctx, seedSlug); err != nil || a.Title == "" {
			t.Errorf("a read: %v", err)
		}
		if l, err := db.FindArticles(ctx, news.ArticleFilter{}, news.Page{Limit: 5}); err != nil || len(l.Items) != 5 {
			t.Errorf("a list: %v", err)
		}
	}

	// The disk fills: the file may not grow by a page (SQLite never sets
	// the limit below the current size).
	if err := db.ExecForTest(ctx, `PRAGMA max_page_count = 1`); err != nil {
		t.Fatal(err)
	}
	err := write("Tin trên đĩa đầy")
	if news.ErrorCode(err) != news.EUNAVAILABLE || !strings.Contains(news.ErrorMessage(err), "disk is full") {
		t.Errorf("a write on a full disk: %v", err)
	}
	read()

	// Read-only.
	if err := db.ExecForTest(ctx, `PRAGMA max_page_count = 1073741823`); err != nil {
		t.Fatal(err)
	}
	if err := db.ExecForTest(ctx, `PRAGMA query_only = 1`); err != nil {
		t.Fatal(err)
	}
	if err := write("Tin khi chỉ đọc"); news.ErrorCode(err) != news.EUNAVAILABLE || !strings.Contains(news.ErrorMessage(err), "read-only") {
		t.Errorf("a write on a read-only database: %v", err)
	}
	read()
	if err := db.ExecForTest(ctx, `PRAGMA query_only = 0`); err != nil {
		t.Fatal(err)
	}

	// Nothing half-written; the next write goes through.
	for _, slug := range []string{"tin-tren-dia-day", "tin-khi-chi-doc"} {
		if _, err := db.Preview().ArticleBySlug(ctx, slug); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("refused article %s: %v", slug, err)
		}
	}
	if err := db.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
	if err := write("Tin sau khi có chỗ"); err != nil {
		t.Errorf("a write once there is room: %v", err)
	}
}
