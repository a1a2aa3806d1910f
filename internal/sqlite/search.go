package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/vntext"
	msqlite "modernc.org/sqlite"
)

// Compile-time check that DB can back a news.Searcher.
var _ news.SearchStore = (*DB)(nil)

// vn_fold (vntext.FoldWords) is registered on the driver, so every
// connection (the writer's triggers above all) folds text exactly as Go
// does. A tool that writes articles through another SQLite build must
// register it too.
func init() {
	err := msqlite.RegisterDeterministicScalarFunction("vn_fold", 1,
		func(_ *msqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			switch v := args[0].(type) {
			case string:
				return vntext.FoldWords(v), nil
			case []byte:
				return vntext.FoldWords(string(v)), nil
			case nil:
				return nil, nil
			default:
				return fmt.Sprint(v), nil
			}
		})
	if err != nil {
		panic(err)
	}
}

// matchExpr builds the FTS5 query: every term quoted (terms hold only
// word runes, so nothing in them is syntax, and with the index's ascii
// tokenizer over FoldWords text each term is exactly one token), the last
// one a prefix when asked.
func matchExpr(m news.Match) string {
	var b strings.Builder
	for i, t := range m.Terms {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(`"` + t + `"`)
		if m.Prefix && i == len(m.Terms)-1 {
			b.WriteByte('*')
		}
	}
	return b.String()
}

// matchKind is what a search statement returns.
type matchKind int

const (
	matchDocs  matchKind = iota // the matches' ids and keys
	matchCount                  // how many match, bounds and limit ignored
	matchSpan                   // how many of the limit match, and the oldest key
)

// matchQuery builds the SQL of a search: the FTS table drives, bounded by
// search key (publish time), joined to articles for the ids and filters.
func (db *DB) matchQuery(m news.Match, kind matchKind) (string, []any) {
	count := kind == matchCount
	table := "search_all"
	if m.TitleOnly {
		table = "search_titles"
	}
	where := []string{table + ` MATCH ?`}
	args := []any{matchExpr(m)}
	// Nothing published after now: keys below the next second's. Search
	// keys, and so the date filters here, have a precision of a second.
	upper := news.SearchKeyBase(db.now().Add(time.Second))
	if !m.Filter.PublishedBefore.IsZero() {
		upper = min(upper, news.SearchKeyBase(m.Filter.PublishedBefore))
	}
	if !count && m.Before != 0 {
		upper = min(upper, m.Before)
	}
	where = append(where, `f.rowid < ?`)
	args = append(args, upper)
	if !m.Filter.PublishedAfter.IsZero() {
		where = append(where, `f.rowid >= ?`)
		args = append(args, news.SearchKeyBase(m.Filter.PublishedAfter))
	}
	if !count && m.After != 0 {
		where = append(where, `f.rowid > ?`)
		args = append(args, m.After)
	}
	if m.Filter.Category != "" {
		where = append(where, `EXISTS (SELECT 1 FROM article_categories x
			WHERE x.category_id = (SELECT id FROM categories WHERE slug = ?) AND x.article_id = a.id)`)
		args = append(args, m.Filter.Category)
	}
	if m.Filter.Tag != "" {
		where = append(where, `EXISTS (SELECT 1 FROM article_tags x
			WHERE x.article_id = a.id AND x.tag_id = (SELECT id FROM tags WHERE slug = ?))`)
		args = append(args, m.Filter.Tag)
	}
	if m.Filter.Author != "" {
		where = append(where, `EXISTS (SELECT 1 FROM article_authors x
			WHERE x.article_id = a.id AND x.author_id = (SELECT id FROM authors WHERE slug = ?))`)
		args = append(args, m.Filter.Author)
	}
	// CROSS JOIN keeps the index first, in search key order: with only the
	// search key's index to read of articles, the planner of a database
	// with few rows took that index as the outer loop, and the whole table
	// with it. A span without filters needs nothing of articles.
	from := table + ` f CROSS JOIN articles a ON a.search_key = f.rowid`
	if kind == matchSpan && m.Filter.Category == "" && m.Filter.Tag == "" && m.Filter.Author == "" {
		from = table + ` f`
	}
	body := ` FROM ` + from + ` WHERE ` + strings.Join(where, " AND ")
	switch kind {
	case matchCount:
		return `SELECT count(*)` + body, args
	case matchSpan:
		return `SELECT count(*), coalesce(min(k), 0) FROM (SELECT f.rowid AS k` + body +
			` ORDER BY f.rowid DESC LIMIT ?)`, append(args, m.Limit)
	}
	order := "DESC"
	if m.Ascending {
		order = "ASC"
	}
	// What ranking needs: the search key's index holds it (migration 008),
	// so no row of articles is read.
	return `SELECT a.id, f.rowid, a.title, a.excerpt, a.published_at` + body + ` ORDER BY f.rowid ` + order + ` LIMIT ?`, append(args, m.Limit)
}

// MatchArticles implements news.SearchStore: one statement on the
// full-text index and the search key's, which holds each match's id,
// publish time, title and lead. Matches are published articles: no
// visibility rule here; the hits are read again under it
// (Searcher.fill), which drops any unpublished since.
func (db *DB) MatchArticles(ctx context.Context, m news.Match) ([]news.SearchDoc, error) {
	if len(m.Terms) == 0 || m.Limit <= 0 {
		return nil, nil
	}
	q, args := db.matchQuery(m, matchDocs)
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	docs := make([]news.SearchDoc, 0, m.Limit)
	for rows.Next() {
		var d news.SearchDoc
		var published sql.NullInt64
		if err := rows.Scan(&d.ID, &d.Key, &d.Title, &d.Excerpt, &published); err != nil {
			return nil, err
		}
		if published.Valid {
			d.PublishedAt = db.timeOf(published.Int64)
		}
		docs = append(docs, d)
	}
	return docs, rows.Err()
}

// CountMatches implements news.SearchStore.
func (db *DB) CountMatches(ctx context.Context, m news.Match) (int, error) {
	if len(m.Terms) == 0 {
		return 0, nil
	}
	q, args := db.matchQuery(m, matchCount)
	row, err := db.queryRow(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	var n int
	return n, row.Scan(&n)
}

// MatchSpan implements news.SearchStore.
func (db *DB) MatchSpan(ctx context.Context, m news.Match) (n int, oldest int64, err error) {
	if len(m.Terms) == 0 || m.Limit <= 0 {
		return 0, 0, nil
	}
	q, args := db.matchQuery(m, matchSpan)
	row, err := db.queryRow(ctx, q, args...)
	if err != nil {
		return 0, 0, err
	}
	err = row.Scan(&n, &oldest)
	return n, oldest, err
}

// assignSearchKeysSQL gives every published article a search key: the
// slots of its publish second in id order. It assumes no article has a key,
// and is the statement that ends migration 002.
const assignSearchKeysSQL = `UPDATE articles SET search_key = k.key
	FROM (SELECT id, (published_at / 1000) * 1000
	                 + row_number() OVER (PARTITION BY published_at / 1000 ORDER BY id) - 1 AS key
	      FROM articles WHERE status = 'published') k
	WHERE articles.id = k.id`

// RebuildSearch rebuilds the search index from the articles: both FTS
// tables emptied, every search key assigned anew, every published article
// indexed again with folded text in one statement per table, then the
// index optimised. It repairs an index damaged by hand edits; it never uses
// FTS5's own 'rebuild', which would index unfolded text. The update trigger
// is set aside meanwhile (row by row, FTS5 would flush its pending terms at
// each statement savepoint) and put back in the same transaction.
func (db *DB) RebuildSearch(ctx context.Context) (int, error) {
	var n int
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		trigger, err := setAside(ctx, tx, "articles_search_update")
		if err != nil {
			return fmt.Errorf("rebuild search: %w", err)
		}
		for _, q := range []string{
			`INSERT INTO search_all (search_all) VALUES ('delete-all')`,
			`INSERT INTO search_titles (search_titles) VALUES ('delete-all')`,
			`UPDATE articles SET search_key = NULL WHERE search_key IS NOT NULL`,
			assignSearchKeysSQL,
			`INSERT INTO search_all (rowid, text)
			 SELECT search_key, vn_fold(title || ' ' || excerpt || ' ' || body_text) FROM articles WHERE search_key IS NOT NULL`,
			`INSERT INTO search_titles (rowid, title)
			 SELECT search_key, vn_fold(title) FROM articles WHERE search_key IS NOT NULL`,
			trigger,
			`INSERT INTO search_all (search_all) VALUES ('optimize')`,
			`INSERT INTO search_titles (search_titles) VALUES ('optimize')`,
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("rebuild search: %w", err)
			}
		}
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM articles WHERE search_key IS NOT NULL`).Scan(&n)
	})
	return n, err
}
