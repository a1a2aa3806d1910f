package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/vntext"
)

// searchText returns what the search columns of a are built from (each
// through to_tsvector('simple', ·)): the folded text of the whole story and
// of its title, or NULLs unless it is published.
func searchText(a *news.Article) (all, title *string) {
	if a.Status != news.StatusPublished {
		return nil, nil
	}
	x, t := vntext.FoldWords(a.Title+" "+a.Excerpt+" "+a.BodyText), vntext.FoldWords(a.Title)
	return &x, &t
}

// tsquery builds a tsquery from folded terms joined by op ('&' or '|'):
// each quoted (terms hold only word runes; quoting makes sure), the last a
// prefix when asked.
func tsquery(terms []string, op string, prefix bool) string {
	var b strings.Builder
	for i, t := range terms {
		if i > 0 {
			b.WriteString(" " + op + " ")
		}
		b.WriteString("'" + strings.NewReplacer(`'`, `''`, `\`, `\\`).Replace(t) + "'")
		if prefix && i == len(terms)-1 {
			b.WriteString(":*")
		}
	}
	return b.String()
}

// matchQuery builds the SQL of a search: the GIN index finds the matches,
// bounded by search key (publish time) as in the SQLite store.
func (db *DB) matchQuery(m news.Match, kind matchKind) (string, args) {
	count := kind == matchCount
	col := "a.search_all"
	if m.TitleOnly {
		col = "a.search_title"
	}
	var p args
	where := []string{col + ` @@ to_tsquery('simple', ` + p.add(tsquery(m.Terms, "&", m.Prefix)) + `)`}
	upper := news.SearchKeyBase(db.now().Add(time.Second))
	if !m.Filter.PublishedBefore.IsZero() {
		upper = min(upper, news.SearchKeyBase(m.Filter.PublishedBefore))
	}
	if !count && m.Before != 0 {
		upper = min(upper, m.Before)
	}
	where = append(where, `a.search_key < `+p.add(upper))
	if !m.Filter.PublishedAfter.IsZero() {
		where = append(where, `a.search_key >= `+p.add(news.SearchKeyBase(m.Filter.PublishedAfter)))
	}
	if !count && m.After != 0 {
		where = append(where, `a.search_key > `+p.add(m.After))
	}
	if m.Filter.Category != "" {
		where = append(where, `EXISTS (SELECT 1 FROM article_categories x
			WHERE x.category_id = (SELECT id FROM categories WHERE slug = `+p.add(m.Filter.Category)+`) AND x.article_id = a.id)`)
	}
	if m.Filter.Tag != "" {
		where = append(where, `EXISTS (SELECT 1 FROM article_tags x
			WHERE x.article_id = a.id AND x.tag_id = (SELECT id FROM tags WHERE slug = `+p.add(m.Filter.Tag)+`))`)
	}
	if m.Filter.Author != "" {
		where = append(where, `EXISTS (SELECT 1 FROM article_authors x
			WHERE x.article_id = a.id AND x.author_id = (SELECT id FROM authors WHERE slug = `+p.add(m.Filter.Author)+`))`)
	}
	if count {
		return `SELECT count(*) FROM articles a WHERE ` + strings.Join(where, " AND "), p
	}
	order := "DESC"
	if m.Ascending {
		order = "ASC"
	}
	if kind == matchSpan {
		return `SELECT count(*), coalesce(min(search_key), 0) FROM (SELECT a.search_key FROM articles a WHERE ` +
			strings.Join(where, " AND ") + ` ORDER BY a.search_key DESC LIMIT ` + p.add(m.Limit) + `) s`, p
	}
	return `SELECT a.id, a.search_key, a.title, a.excerpt, a.published_at FROM articles a WHERE ` +
		strings.Join(where, " AND ") + ` ORDER BY a.search_key ` + order + ` LIMIT ` + p.add(m.Limit), p
}

// matchKind is what a search statement returns.
type matchKind int

const (
	matchDocs  matchKind = iota // the matches, with what ranks them
	matchCount                  // how many match, bounds and limit ignored
	matchSpan                   // how many of the limit match, and the oldest key
)

// MatchArticles implements news.SearchStore.
func (db *DB) MatchArticles(ctx context.Context, m news.Match) ([]news.SearchDoc, error) {
	if len(m.Terms) == 0 || m.Limit <= 0 {
		return nil, nil
	}
	q, p := db.matchQuery(m, matchDocs)
	rows, err := db.query(ctx, db.r, q, p...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (news.SearchDoc, error) {
		var d news.SearchDoc
		var published int64
		err := row.Scan(&d.ID, &d.Key, &d.Title, &d.Excerpt, &published)
		d.PublishedAt = db.timeOf(published)
		return d, err
	})
}

// CountMatches implements news.SearchStore.
func (db *DB) CountMatches(ctx context.Context, m news.Match) (int, error) {
	if len(m.Terms) == 0 {
		return 0, nil
	}
	q, p := db.matchQuery(m, matchCount)
	var n int
	err := db.queryRow(ctx, db.r, q, p...).Scan(&n)
	return n, err
}

// MatchSpan implements news.SearchStore.
func (db *DB) MatchSpan(ctx context.Context, m news.Match) (n int, oldest int64, err error) {
	if len(m.Terms) == 0 || m.Limit <= 0 {
		return 0, 0, nil
	}
	q, p := db.matchQuery(m, matchSpan)
	err = db.queryRow(ctx, db.r, q, p...).Scan(&n, &oldest)
	return n, oldest, err
}
