package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/newsdesk/newsdesk/internal/news"
)

// bulkBatch is how many articles a bulk load sends at a time, in one
// transaction and one round trip.
const bulkBatch = 1000

// BulkLoad writes many trusted articles fast (see the SQLite store's):
// each batch reserves its ids in one statement and sends every insert in
// one pipelined round trip. Unlike SQLite's, it needs no exclusive use of
// the database: replicas can keep serving meanwhile.
func (db *DB) BulkLoad(ctx context.Context, fn func(add func(*news.Article) error) error) error {
	// The search keys already taken, when the table is not empty.
	used := map[int64]bool{}
	rows, err := db.w.Query(ctx, `SELECT search_key FROM articles WHERE search_key IS NOT NULL`)
	if err != nil {
		return err
	}
	taken, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return err
	}
	for _, k := range taken {
		used[k] = true
	}
	var pending []*news.Article
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		err := db.inTx(ctx, func(tx pgx.Tx) error {
			ids, err := ids(ctx, tx, `SELECT nextval(pg_get_serial_sequence('articles', 'id')) FROM generate_series(1, $1)`, len(pending))
			if err != nil {
				return err
			}
			for i, a := range pending {
				a.ID = ids[i]
			}
			return writeArticles(ctx, tx, pending, used)
		})
		pending = pending[:0]
		return err
	}
	add := func(a *news.Article) error {
		now := db.now()
		if a.CreatedAt.IsZero() {
			a.CreatedAt = now
		}
		if a.UpdatedAt.IsZero() {
			a.UpdatedAt = a.CreatedAt
		}
		if pending = append(pending, a); len(pending) == bulkBatch {
			return flush()
		}
		return nil
	}
	if err := fn(add); err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	return db.Analyze(ctx)
}

// writeArticles inserts prepared articles, ids set, with their links, in
// one pipelined round trip; search keys are picked among those not in used
// (which they are added to).
func writeArticles(ctx context.Context, tx pgx.Tx, arts []*news.Article, used map[int64]bool) error {
	b := &pgx.Batch{}
	for _, a := range arts {
		var key *int64
		if a.Status == news.StatusPublished {
			k, err := pickKey(a, used)
			if err != nil {
				return err
			}
			key = &k
		}
		b.Queue(insertArticleSQL, articleValues(a, key)...)
		queueLinks(b, a)
	}
	return tx.SendBatch(ctx, b).Close()
}

// takenKeys returns the search keys already used in the publish seconds
// of the published articles among arts.
func takenKeys(ctx context.Context, tx pgx.Tx, arts []*news.Article) (map[int64]bool, error) {
	var bases []int64
	for _, a := range arts {
		if a.Status == news.StatusPublished {
			bases = append(bases, news.SearchKeyBase(a.PublishedAt))
		}
	}
	keys, err := ids(ctx, tx, `SELECT a.search_key FROM unnest($1::bigint[]) b(base)
		JOIN articles a ON a.search_key BETWEEN b.base AND b.base + $2`, bases, news.SearchKeysPerSecond-1)
	if err != nil {
		return nil, err
	}
	used := make(map[int64]bool, len(keys))
	for _, k := range keys {
		used[k] = true
	}
	return used, nil
}

// RebuildSearch rebuilds every search column from the articles: keys
// assigned anew, text folded again in Go, in batches in one transaction.
// It returns how many articles are indexed.
func (db *DB) RebuildSearch(ctx context.Context) (int, error) {
	n := 0
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		n = 0
		if _, err := tx.Exec(ctx, `UPDATE articles SET search_key = NULL, search_all = NULL, search_title = NULL
			WHERE search_key IS NOT NULL OR search_all IS NOT NULL OR search_title IS NOT NULL`); err != nil {
			return err
		}
		used := map[int64]bool{}
		var last int64
		for {
			rows, err := tx.Query(ctx, `SELECT id, status, published_at, title, excerpt, body_text FROM articles
				WHERE id > $1 AND status = 'published' ORDER BY id LIMIT 1000`, last)
			if err != nil {
				return err
			}
			batch, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*news.Article, error) {
				var a news.Article
				var status string
				var pub int64
				err := r.Scan(&a.ID, &status, &pub, &a.Title, &a.Excerpt, &a.BodyText)
				a.Status, a.PublishedAt = news.Status(status), db.timeOf(pub)
				return &a, err
			})
			if err != nil || len(batch) == 0 {
				return err
			}
			b := &pgx.Batch{}
			for _, a := range batch {
				k, err := pickKey(a, used)
				if err != nil {
					return err
				}
				all, title := searchText(a)
				b.Queue(`UPDATE articles SET search_key = $2, search_all = to_tsvector('simple', $3), search_title = to_tsvector('simple', $4)
					WHERE id = $1`, a.ID, k, all, title)
			}
			if err := tx.SendBatch(ctx, b).Close(); err != nil {
				return err
			}
			n += len(batch)
			last = batch[len(batch)-1].ID
		}
	})
	return n, err
}

// IntegrityCheck checks the store's own invariants (PostgreSQL checks its
// pages itself): search columns set exactly for published stories, link
// tables' copies of the publish time in step, every story filed under its
// category.
func (db *DB) IntegrityCheck(ctx context.Context) error {
	checks := []struct{ what, sql string }{
		{"search columns out of step with status", `SELECT count(*) FROM articles
			WHERE (status = 'published') <> (search_key IS NOT NULL)
			OR (search_key IS NULL) <> (search_all IS NULL) OR (search_key IS NULL) <> (search_title IS NULL)`},
		{"story not filed under its category", `SELECT count(*) FROM articles a
			WHERE NOT EXISTS (SELECT 1 FROM article_categories x WHERE x.article_id = a.id AND x.category_id = a.category_id)`},
	}
	for _, table := range []string{"article_authors", "article_tags", "article_categories"} {
		checks = append(checks, struct{ what, sql string }{table + " publish times out of step",
			`SELECT count(*) FROM ` + table + ` l JOIN articles a ON a.id = l.article_id
			WHERE l.pub_at IS DISTINCT FROM CASE WHEN a.status = 'published' THEN a.published_at END`})
	}
	var problems []string
	for _, c := range checks {
		var n int
		if err := db.w.QueryRow(ctx, c.sql).Scan(&n); err != nil {
			return fmt.Errorf("integrity check: %w", err)
		}
		if n > 0 {
			problems = append(problems, fmt.Sprintf("%s: %d", c.what, n))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("integrity check: %s", strings.Join(problems, "; "))
	}
	return nil
}
