package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Compile-time check that DB can move a site in and out.
var _ news.SiteStore = (*DB)(nil)

// RelatedLists implements news.SiteStore.
func (db *DB) RelatedLists(ctx context.Context, ids []int64) ([]*news.RelatedLists, error) {
	rows, err := db.query(ctx, `SELECT article_id, 0, position, related_id, 0.0 FROM article_related WHERE article_id IN (SELECT value FROM json_each(?1))
		UNION ALL
		SELECT article_id, 1, position, related_id, score FROM related_computed WHERE article_id IN (SELECT value FROM json_each(?1))
		ORDER BY 1, 2, 3`, idList(ids))
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

// ImportRecords implements news.SiteStore. Articles are validated by
// Prepare and indexed by the triggers, as any write.
func (db *DB) ImportRecords(ctx context.Context, recs []*news.Record) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var w *articleWriter
		defer func() { w.close() }()
		for _, r := range recs {
			var err error
			switch {
			case r.Category != nil:
				c := r.Category
				_, err = tx.ExecContext(ctx, `INSERT INTO categories (id, slug, name, description, parent_id, position, created_at, updated_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, c.Slug, c.Name, c.Description, nullID(c.ParentID), c.Position,
					c.CreatedAt.UnixMilli(), c.CreatedAt.UnixMilli())
			case r.Author != nil:
				a := r.Author
				_, err = tx.ExecContext(ctx, `INSERT INTO authors (id, slug, name, bio, avatar_url, created_at, updated_at)
					VALUES (?, ?, ?, ?, ?, ?, ?)`, a.ID, a.Slug, a.Name, a.Bio, a.AvatarURL, a.CreatedAt.UnixMilli(), a.CreatedAt.UnixMilli())
			case r.Tag != nil:
				t := r.Tag
				_, err = tx.ExecContext(ctx, `INSERT INTO tags (id, slug, name, created_at) VALUES (?, ?, ?, ?)`,
					t.ID, t.Slug, t.Name, t.CreatedAt.UnixMilli())
			case r.Article != nil:
				a := r.Article
				if err := a.Prepare(); err != nil {
					return fmt.Errorf("article %d: %w", a.ID, err)
				}
				db.normalizeTimes(a)
				if w == nil {
					if w, err = newArticleWriter(ctx, tx); err != nil {
						return err
					}
				}
				w.nextID = a.ID
				err = w.insert(ctx, a)
			case r.Related != nil:
				l := r.Related
				for i, id := range l.Pinned {
					if _, err := tx.ExecContext(ctx, `INSERT INTO article_related (article_id, related_id, position) VALUES (?, ?, ?)`,
						l.ArticleID, id, i); err != nil {
						return err
					}
				}
				for i, c := range l.Computed {
					if _, err := tx.ExecContext(ctx, `INSERT INTO related_computed (article_id, position, related_id, score) VALUES (?, ?, ?, ?)`,
						l.ArticleID, i, c.ID, c.Score); err != nil {
						return err
					}
				}
			case r.Revision != nil:
				v := r.Revision
				snapshot, merr := json.Marshal(v.Article)
				if merr != nil {
					return merr
				}
				_, err = tx.ExecContext(ctx, `INSERT INTO article_revisions (article_id, number, action, editor, saved_at, snapshot)
					VALUES (?, ?, ?, ?, ?, ?)`, v.ArticleID, v.Number, v.Action, v.Editor, v.SavedAt.UnixMilli(), snapshot)
			case r.Key != nil:
				k := r.Key
				_, err = tx.ExecContext(ctx, `INSERT INTO api_keys (id, name, role, hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)`,
					k.ID, k.Name, string(k.Role), k.Hash, k.CreatedAt.UnixMilli(), millis(k.RevokedAt))
			case r.Webhook != nil:
				h := r.Webhook
				_, err = tx.ExecContext(ctx, `INSERT INTO webhooks (id, url, secret, created_at, disabled_at) VALUES (?, ?, ?, ?, ?)`,
					h.ID, h.URL, h.Secret, h.CreatedAt.UnixMilli(), millis(h.DisabledAt))
			case r.Query != nil:
				q := r.Query
				_, err = tx.ExecContext(ctx, `INSERT INTO persisted_queries (hash, name, query, created_at) VALUES (?, ?, ?, ?)`,
					q.Hash, q.Name, q.Query, q.CreatedAt.UnixMilli())
			default:
				err = news.Invalid("record", "empty record")
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// Analyze implements news.SiteStore.
func (db *DB) Analyze(ctx context.Context) error {
	return storageError(analyze(ctx, db.w, `ANALYZE`))
}
