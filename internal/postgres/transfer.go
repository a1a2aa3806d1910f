package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/newsdesk/newsdesk/internal/news"
)

// Compile-time check that DB can move a site in and out.
var _ news.SiteStore = (*DB)(nil)

// RelatedLists implements news.SiteStore.
func (db *DB) RelatedLists(ctx context.Context, ids []int64) ([]*news.RelatedLists, error) {
	rows, err := db.query(ctx, db.w, `SELECT article_id, false, position, related_id, 0.0::float8 FROM article_related WHERE article_id = ANY($1)
		UNION ALL
		SELECT article_id, true, position, related_id, score FROM related_computed WHERE article_id = ANY($1)
		ORDER BY 1, 2, 3`, ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*news.RelatedLists
	for rows.Next() {
		var article, related int64
		var computed bool
		var position int
		var score float64
		if err := rows.Scan(&article, &computed, &position, &related, &score); err != nil {
			return nil, err
		}
		out = news.AppendRelated(out, article, computed, related, score)
	}
	return out, rows.Err()
}

// identityTables are the tables whose ids come from a sequence: after an
// import with ids kept, each sequence moves past the highest.
var identityTables = []string{"categories", "authors", "tags", "articles", "article_revisions", "api_keys", "webhooks"}

// ImportRecords implements news.SiteStore. Articles are validated by
// Prepare and get their search columns, as any write.
func (db *DB) ImportRecords(ctx context.Context, recs []*news.Record) error {
	return db.inTx(ctx, func(tx pgx.Tx) error {
		// Runs of articles go in one round trip each.
		var run []*news.Article
		flush := func() error {
			if len(run) == 0 {
				return nil
			}
			used, err := takenKeys(ctx, tx, run)
			if err == nil {
				err = writeArticles(ctx, tx, run, used)
			}
			run = run[:0]
			return err
		}
		for _, r := range recs {
			if r.Article == nil {
				if err := flush(); err != nil {
					return err
				}
			}
			var err error
			switch {
			case r.Category != nil:
				c := r.Category
				_, err = tx.Exec(ctx, `INSERT INTO categories (id, slug, name, description, parent_id, position, created_at, updated_at)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`, c.ID, c.Slug, c.Name, c.Description, nullID(c.ParentID), c.Position,
					c.CreatedAt.UnixMilli())
			case r.Author != nil:
				a := r.Author
				_, err = tx.Exec(ctx, `INSERT INTO authors (id, slug, name, bio, avatar_url, created_at, updated_at)
					VALUES ($1, $2, $3, $4, $5, $6, $6)`, a.ID, a.Slug, a.Name, a.Bio, a.AvatarURL, a.CreatedAt.UnixMilli())
			case r.Tag != nil:
				t := r.Tag
				_, err = tx.Exec(ctx, `INSERT INTO tags (id, slug, name, created_at) VALUES ($1, $2, $3, $4)`,
					t.ID, t.Slug, t.Name, t.CreatedAt.UnixMilli())
			case r.Article != nil:
				a := r.Article
				if err := a.Prepare(); err != nil {
					return fmt.Errorf("article %d: %w", a.ID, err)
				}
				db.normalizeTimes(a)
				run = append(run, a)
			case r.Related != nil:
				l := r.Related
				scores := make([]float64, len(l.Computed))
				computed := make([]int64, len(l.Computed))
				for i, c := range l.Computed {
					computed[i], scores[i] = c.ID, c.Score
				}
				if _, err := tx.Exec(ctx, `INSERT INTO article_related (article_id, related_id, position)
					SELECT $1, x.id, x.n - 1 FROM unnest($2::bigint[]) WITH ORDINALITY AS x(id, n)`, l.ArticleID, news.UniqueIDs(l.Pinned)); err != nil {
					return err
				}
				_, err = tx.Exec(ctx, `INSERT INTO related_computed (article_id, position, related_id, score)
					SELECT $1, r.n - 1, r.id, r.score FROM unnest($2::bigint[], $3::float8[]) WITH ORDINALITY AS r(id, score, n)`,
					l.ArticleID, computed, scores)
			case r.Revision != nil:
				v := r.Revision
				snapshot, merr := json.Marshal(v.Article)
				if merr != nil {
					return merr
				}
				_, err = tx.Exec(ctx, `INSERT INTO article_revisions (article_id, number, action, editor, saved_at, snapshot)
					VALUES ($1, $2, $3, $4, $5, $6)`, v.ArticleID, v.Number, v.Action, v.Editor, v.SavedAt.UnixMilli(), string(snapshot))
			case r.Key != nil:
				k := r.Key
				_, err = tx.Exec(ctx, `INSERT INTO api_keys (id, name, role, hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6)`,
					k.ID, k.Name, string(k.Role), k.Hash, k.CreatedAt.UnixMilli(), millis(k.RevokedAt))
			case r.Webhook != nil:
				h := r.Webhook
				_, err = tx.Exec(ctx, `INSERT INTO webhooks (id, url, secret, created_at, disabled_at) VALUES ($1, $2, $3, $4, $5)`,
					h.ID, h.URL, h.Secret, h.CreatedAt.UnixMilli(), millis(h.DisabledAt))
			case r.Query != nil:
				q := r.Query
				_, err = tx.Exec(ctx, `INSERT INTO persisted_queries (hash, name, query, created_at) VALUES ($1, $2, $3, $4)`,
					q.Hash, q.Name, q.Query, q.CreatedAt.UnixMilli())
			default:
				err = news.Invalid("record", "empty record")
			}
			if err != nil {
				return err
			}
		}
		if err := flush(); err != nil {
			return err
		}
		for _, t := range identityTables {
			if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'),
				GREATEST((SELECT MAX(id) FROM `+t+`), 1), (SELECT MAX(id) FROM `+t+`) IS NOT NULL)`); err != nil {
				return err
			}
		}
		return nil
	})
}

// Analyze implements news.SiteStore.
func (db *DB) Analyze(ctx context.Context) error {
	_, err := db.w.Exec(ctx, `ANALYZE`)
	return storageError(err)
}
