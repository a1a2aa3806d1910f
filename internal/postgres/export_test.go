package postgres

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// ExecForTest runs a statement on the primary behind the store's back;
// placeholders are written "?", as the contract suite's portable SQL has
// them.
func (db *DB) ExecForTest(ctx context.Context, query string, args ...any) error {
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	_, err := db.w.Exec(ctx, b.String(), args...)
	db.gen.Add(1) // as every write: caches of what was read go
	return err
}

// PlanQuery is a statement the store runs, with arguments, for the plan
// test.
type PlanQuery struct {
	SQL  string
	Args []any
}

// PlanQueriesForTest builds every article list and count a preview can
// ask for (each filter combination, first and later pages both ways), the
// search queries and the batch link reads.
func PlanQueriesForTest(db *DB) ([]PlanQuery, error) {
	r := reader{db: db, pool: db.w, preview: true}
	now := time.Now()
	after := news.Cursor{Time: now.UnixMilli(), ID: 10}
	var out []PlanQuery
	for _, status := range []news.ArticleStatus{"", news.ArticleScheduled, news.ArticleDraft, news.ArticleArchived} {
		for _, tag := range []string{"", "hai-phong"} {
			for _, author := range []string{"", "hoang-duc"} {
				for _, cat := range []string{"", "thoi-su"} {
					f := news.ArticleFilter{Tag: tag, Author: author, Category: cat, Status: status}
					for _, p := range []news.Page{{Limit: 20}, {Limit: 20, After: &after}, {Limit: 20, Backward: true, Before: &after}} {
						q, a, err := r.listQuery(f, p)
						if err != nil {
							return nil, err
						}
						out = append(out, PlanQuery{q, a})
					}
					l, err := r.newArticleList(f)
					if err != nil {
						return nil, err
					}
					out = append(out, PlanQuery{`SELECT count(*) FROM ` + l.from + ` WHERE ` + strings.Join(l.where, " AND "), l.args})
				}
			}
		}
	}
	for _, m := range []news.Match{
		{Terms: []string{"hai", "phong"}, Limit: 20},
		{Terms: []string{"duong", "ki"}, Prefix: true, TitleOnly: true, Limit: 20, Before: news.SearchKeyBase(now)},
		{Terms: []string{"kinh"}, Filter: news.ArticleFilter{Category: "thoi-su", Tag: "hai-phong"}, Limit: 20, Ascending: true, After: 1},
	} {
		for _, kind := range []matchKind{matchDocs, matchSpan} {
			q, a := db.matchQuery(m, kind)
			out = append(out, PlanQuery{q, a})
		}
	}
	for _, q := range []string{linkIDsSQL} {
		out = append(out, PlanQuery{q, []any{[]int64{1, 2, 3}}})
	}
	return out, nil
}
