package postgres

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// hour and day buckets of view counts.
func hourOf(t time.Time) int64 { return t.Unix() / 3600 }
func dayOf(t time.Time) int64  { return t.Unix() / 86400 }

// AddViews implements news.ViewStore: each replica flushes its own counts,
// and the buckets add them up, so views counted on every replica count.
// The ids go in order so that two replicas' flushes lock rows in the same
// order.
func (db *DB) AddViews(ctx context.Context, counts map[int64]int, at time.Time) error {
	if len(counts) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(counts))
	for id := range counts {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	views := make([]int64, len(ids))
	for i, id := range ids {
		views[i] = int64(counts[id])
	}
	return db.inBookkeepingTx(ctx, func(tx pgx.Tx) error {
		for _, b := range []struct {
			table, col string
			bucket     int64
		}{{"article_views_hourly", "hour", hourOf(at)}, {"article_views_daily", "day", dayOf(at)}} {
			if _, err := tx.Exec(ctx, fmt.Sprintf(`INSERT INTO %[1]s (%[2]s, article_id, views)
				SELECT $1, x.id, x.views FROM unnest($2::bigint[], $3::bigint[]) AS x(id, views)
				WHERE EXISTS (SELECT 1 FROM articles WHERE id = x.id)
				ON CONFLICT (%[2]s, article_id) DO UPDATE SET views = %[1]s.views + excluded.views`, b.table, b.col),
				b.bucket, ids, views); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM article_views_hourly WHERE hour < $1`, hourOf(at)-48); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM article_views_daily WHERE day < $1`, dayOf(at)-400)
		return err
	})
}

// MostRead implements news.ViewStore: hourly buckets for a window of up to
// two days, daily ones beyond.
func (db *DB) MostRead(ctx context.Context, since time.Time, category string, limit int) ([]int64, error) {
	table, col, from := "article_views_daily", "day", dayOf(since)
	if db.now().Sub(since) <= 48*time.Hour {
		table, col, from = "article_views_hourly", "hour", hourOf(since)
	}
	rows, err := db.query(ctx, db.r, fmt.Sprintf(`SELECT v.article_id FROM %s v JOIN articles a ON a.id = v.article_id
		WHERE v.%s >= $1 AND a.status = 'published' AND a.published_at <= $2
		AND ($3 = '' OR EXISTS (SELECT 1 FROM article_categories x
			WHERE x.category_id = (SELECT id FROM categories WHERE slug = $3) AND x.article_id = v.article_id))
		GROUP BY v.article_id ORDER BY SUM(v.views) DESC, v.article_id DESC LIMIT $4`, table, col),
		from, db.nowMillis(), category, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}
