package sqlite

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// TestQueryPlans runs EXPLAIN QUERY PLAN on every article list and lookup
// the store can build and fails on a full scan of a table or a sort of a
// whole result: every public list must be one ordered index range.
func TestQueryPlans(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "plan.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Plans depend on statistics: give the planner a realistic shape, as
	// the store gathers them.
	if err := analyze(ctx, db.w, `ANALYZE`); err != nil {
		t.Fatal(err)
	}

	var captured []string
	// indexOnly are the queries an index alone answers (a page's ids, a
	// search's matches), with no read of an article's row.
	indexOnly := map[string]bool{}
	after := news.Cursor{Time: time.Now().UnixMilli(), ID: 10}
	var filters []news.ArticleFilter
	for _, status := range []news.ArticleStatus{"", news.ArticleScheduled, news.ArticleDraft, news.ArticleArchived} {
		for _, tag := range []string{"", "hai-phong"} {
			for _, author := range []string{"", "hoang-duc"} {
				for _, cat := range []string{"", "thoi-su"} {
					for _, dated := range []bool{false, true} {
						f := news.ArticleFilter{Tag: tag, Author: author, Category: cat, Status: status}
						if dated {
							f.PublishedAfter = time.Now().AddDate(-1, 0, 0)
							f.PublishedBefore = time.Now()
						}
						filters = append(filters, f)
					}
				}
			}
		}
	}
	for _, f := range filters {
		for _, p := range []news.Page{
			{Limit: 20},
			{Limit: 20, After: &after},
			{Limit: 20, Backward: true, Before: &after},
		} {
			q, ids, _, err := db.listQuery(f, p, true)
			if err != nil {
				t.Fatal(err)
			}
			captured = append(captured, q, ids)
			indexOnly[ids] = true
		}
		l, err := db.newArticleList(f, true)
		if err != nil {
			t.Fatal(err)
		}
		where, _ := l.conditions()
		captured = append(captured, `SELECT count(*) FROM `+l.from+` WHERE `+strings.Join(where, " AND "))
	}
	// A span scans its own subquery: at most the limit's keys.
	spans := map[string]bool{}
	// Searches read the index alone: the search key's holds the ids,
	// titles, leads and times of the matches.
	for _, m := range []news.Match{
		{Terms: []string{"hai", "phong"}, Limit: 150},
		{Terms: []string{"cau"}, Prefix: true, TitleOnly: true, Limit: 150, Ascending: true, After: 5},
		{Terms: []string{"cau"}, Limit: 20, Filter: news.ArticleFilter{Category: "thoi-su", Tag: "hai-phong", Author: "hoang-duc"}},
	} {
		for _, kind := range []matchKind{matchDocs, matchSpan} {
			q, _ := db.matchQuery(m, kind)
			captured = append(captured, q)
			indexOnly[q] = true
			spans[q] = kind == matchSpan
		}
	}
	captured = append(captured,
		`SELECT `+articleCols+` FROM articles a WHERE a.slug = ? AND `+visible,
		articleViewSQL+visible,
		revisionsSQL,
		stubsByIDSQL,
		deliveriesSQL,
		nextScheduledSQL,
		dueDeliveriesSQL,
		recentStubSQL,
		keyHashSQL,
		relatedSQL,
		linkIDsSQL,
		fillLinkIDsSQL,
	)

	for _, q := range captured {
		n := strings.Count(q, "?")
		args := make([]any, n)
		for i := range args {
			args[i] = 1
		}
		rows, err := db.r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Fatalf("explain %s: %v", q, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		for _, step := range plan {
			fullScan := strings.HasPrefix(step, "SCAN ") && !strings.Contains(step, " USING ")
			jsonScan := strings.HasPrefix(step, "SCAN json_each")
			// A full-text index walks the matches of its MATCH (":M").
			matchScan := strings.Contains(step, " VIRTUAL TABLE INDEX ") && strings.Contains(step, ":M")
			// The related list sorts at most RelatedStored computed rows
			// and the editor's pins of one article: bounded, not the table.
			boundedSort := q == relatedSQL && strings.Contains(step, "USE TEMP B-TREE FOR ORDER BY")
			// The related list scans its own subquery (a co-routine of a
			// handful of rows), and a search span its own.
			subquery := (q == relatedSQL && step == "SCAN r") || (spans[q] && strings.HasPrefix(step, "SCAN (subquery-"))
			// A non-covering index, or the primary key, reads rows.
			readsRows := strings.Contains(step, " USING INDEX ") || strings.Contains(step, "INTEGER PRIMARY KEY")
			if (fullScan && !jsonScan && !subquery && !matchScan) || (indexOnly[q] && readsRows) ||
				(strings.Contains(step, "USE TEMP B-TREE FOR ORDER BY") && !boundedSort) {
				t.Errorf("query plan step %q in\n%s\nplan:\n  %s", step, q, strings.Join(plan, "\n  "))
			}
		}
	}
}

// TestKeyBoundsFold: visibility, dates and a cursor fold into one bound at
// each end of a list, the tighter one, so that the planner sees one index
// range whatever its statistics (as separate conditions, it picked one by
// its sqlite_stat4 samples, and a deep page could walk every newer row).
func TestKeyBoundsFold(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	db, err := Open(ctx, filepath.Join(t.TempDir(), "bounds.db"), Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	before, after := now.Add(-time.Hour), now.AddDate(0, -1, 0)
	cursor := news.Cursor{Time: now.Add(-2 * time.Hour).UnixMilli(), ID: 10}
	newer := news.Cursor{Time: now.Add(-30 * time.Minute).UnixMilli(), ID: 10}
	older := news.Cursor{Time: after.Add(-time.Hour).UnixMilli(), ID: 10}
	// Bounds are added in a fixed order (visibility, dates, cursor): the
	// cases where a later one is the looser catch a fold that keeps the
	// last instead of the tighter.
	for _, c := range []struct {
		name        string
		f           news.ArticleFilter
		p           news.Page
		upper       int64 // the key of the one upper bound
		lowerBounds int
		lower       int64 // the key of the lower bound, if any
	}{
		{"public", news.ArticleFilter{}, news.Page{Limit: 20}, now.UnixMilli(), 0, 0},
		{"dated", news.ArticleFilter{PublishedBefore: before, PublishedAfter: after}, news.Page{Limit: 20}, before.UnixMilli(), 1, after.UnixMilli()},
		{"dated, deeper cursor", news.ArticleFilter{PublishedBefore: before, Category: "thoi-su"}, news.Page{Limit: 20, After: &cursor}, cursor.Time, 0, 0},
		{"before a future date", news.ArticleFilter{PublishedBefore: now.Add(time.Hour)}, news.Page{Limit: 20}, now.UnixMilli(), 0, 0},
		{"dated, cursor newer than the date", news.ArticleFilter{PublishedBefore: before}, news.Page{Limit: 20, After: &newer}, before.UnixMilli(), 0, 0},
		{"dated, backwards from a cursor older than the date", news.ArticleFilter{PublishedAfter: after}, news.Page{Limit: 20, Before: &older}, now.UnixMilli(), 1, after.UnixMilli()},
	} {
		q, _, args, err := db.listQuery(c.f, c.p, false)
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(q, ") < (?, ?)"); n != 1 {
			t.Errorf("%s: %d upper bounds, want 1: %s", c.name, n, q)
		}
		if n := strings.Count(q, ") > (?, ?)"); n != c.lowerBounds {
			t.Errorf("%s: %d lower bounds, want %d: %s", c.name, n, c.lowerBounds, q)
		}
		if !slices.Contains(args, any(c.upper)) {
			t.Errorf("%s: the upper bound %d is not among the arguments %v", c.name, c.upper, args)
		}
		if c.lowerBounds > 0 && !slices.Contains(args, any(c.lower)) {
			t.Errorf("%s: the lower bound %d is not among the arguments %v", c.name, c.lower, args)
		}
	}
}
