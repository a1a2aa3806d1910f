package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// hour and day buckets of view counts.
func hourOf(t time.Time) int64 { return t.Unix() / 3600 }
func dayOf(t time.Time) int64  { return t.Unix() / 86400 }

// AddViews implements news.ViewStore: one transaction per flush, and
// buckets past their use are pruned in it.
func (db *DB) AddViews(ctx context.Context, counts map[int64]int, at time.Time) error {
	if len(counts) == 0 {
		return nil
	}
	return db.inBookkeepingTx(ctx, func(tx *sql.Tx) error {
		hourly, err := tx.PrepareContext(ctx, `INSERT INTO article_views_hourly (hour, article_id, views)
			SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM articles WHERE id = ?2)
			ON CONFLICT (hour, article_id) DO UPDATE SET views = views + excluded.views`)
		if err != nil {
			return err
		}
		defer hourly.Close()
		daily, err := tx.PrepareContext(ctx, `INSERT INTO article_views_daily (day, article_id, views)
			SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM articles WHERE id = ?2)
			ON CONFLICT (day, article_id) DO UPDATE SET views = views + excluded.views`)
		if err != nil {
			return err
		}
		defer daily.Close()
		for id, n := range counts {
			if _, err := hourly.ExecContext(ctx, hourOf(at), id, n); err != nil {
				return err
			}
			if _, err := daily.ExecContext(ctx, dayOf(at), id, n); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM article_views_hourly WHERE hour < ?`, hourOf(at)-48); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM article_views_daily WHERE day < ?`, dayOf(at)-400)
		return err
	})
}

// mostReadSQL sums a window of buckets; %s is the table and its bucket
// column. The ?3 category slug may be empty.
const mostReadSQL = `SELECT v.article_id FROM %s v JOIN articles a ON a.id = v.article_id
	WHERE v.%s >= ?1 AND a.status = 'published' AND a.published_at <= ?2
	AND (?3 = '' OR EXISTS (SELECT 1 FROM article_categories x
		WHERE x.category_id = (SELECT id FROM categories WHERE slug = ?3) AND x.article_id = v.article_id))
	GROUP BY v.article_id ORDER BY SUM(v.views) DESC, v.article_id DESC LIMIT ?4`

// MostRead implements news.ViewStore: hourly buckets for a window of up to
// two days, daily ones beyond.
func (db *DB) MostRead(ctx context.Context, since time.Time, category string, limit int) ([]int64, error) {
	q, from := fmt.Sprintf(mostReadSQL, "article_views_daily", "day"), dayOf(since)
	if db.now().Sub(since) <= 48*time.Hour {
		q, from = fmt.Sprintf(mostReadSQL, "article_views_hourly", "hour"), hourOf(since)
	}
	return scanIDs(db.query(ctx, q, from, db.nowMillis(), category, limit))
}
