package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Limits on an article's links.
const (
	maxAuthors = 20
	maxTags    = 30
)

// CreateArticle implements news.Writer.
func (db *DB) CreateArticle(ctx context.Context, u news.ArticleUpdate) (*news.Article, error) {
	a := &news.Article{Status: news.StatusDraft}
	u.Apply(a)
	explicitSlug := a.Slug != ""
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := resolveRefs(ctx, tx, db.now(), &u, a); err != nil {
			return err
		}
		if err := a.Prepare(); err != nil {
			return err
		}
		if err := placeSlug(ctx, tx, a, explicitSlug); err != nil {
			return err
		}
		a.CreatedAt = db.now()
		a.UpdatedAt = a.CreatedAt
		db.normalizeTimes(a)
		w, err := newArticleWriter(ctx, tx)
		if err != nil {
			return err
		}
		defer w.close()
		return w.insert(ctx, a)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// UpdateArticle implements news.Writer.
func (db *DB) UpdateArticle(ctx context.Context, id int64, expected time.Time, u news.ArticleUpdate) (*news.Article, error) {
	if expected.IsZero() {
		return nil, news.Invalid("expectedUpdatedAt", "is required: the updatedAt of the version you edited")
	}
	return db.editArticle(ctx, id, expected, "update", func(tx *sql.Tx, a *news.Article) error {
		u.Apply(a)
		return resolveRefs(ctx, tx, db.now(), &u, a)
	})
}

// PublishArticle implements news.Writer.
func (db *DB) PublishArticle(ctx context.Context, id int64, at, expected time.Time) (*news.Article, error) {
	return db.editArticle(ctx, id, expected, "publish", func(_ *sql.Tx, a *news.Article) error {
		a.Status = news.StatusPublished
		switch {
		case !at.IsZero():
			a.PublishedAt = at
		case a.PublishedAt.IsZero():
			a.PublishedAt = db.now().Truncate(time.Second)
		}
		return nil
	})
}

// UnpublishArticle implements news.Writer.
func (db *DB) UnpublishArticle(ctx context.Context, id int64, expected time.Time) (*news.Article, error) {
	return db.editArticle(ctx, id, expected, "unpublish", func(_ *sql.Tx, a *news.Article) error {
		a.Status = news.StatusDraft
		return nil
	})
}

// ArchiveArticle implements news.Writer.
func (db *DB) ArchiveArticle(ctx context.Context, id int64, expected time.Time) (*news.Article, error) {
	return db.editArticle(ctx, id, expected, "archive", func(_ *sql.Tx, a *news.Article) error {
		a.Status = news.StatusArchived
		return nil
	})
}

// editArticle runs one editorial change of the article id in a transaction:
// it loads the article whatever its status, checks it is at the version
// expected, lets change modify a copy, validates it, keeps the version it
// replaces as a revision, and stores it with its links, search index
// entries, the related lists around it and the partners' webhook events. A change that changes nothing
// writes nothing.
func (db *DB) editArticle(ctx context.Context, id int64, expected time.Time, action string, change func(*sql.Tx, *news.Article) error) (*news.Article, error) {
	var out *news.Article
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		old, oldKey, err := db.loadArticle(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := news.CheckExpected(old, expected); err != nil {
			return err
		}
		a := *old
		a.AuthorIDs = append([]int64(nil), old.AuthorIDs...)
		a.TagIDs = append([]int64(nil), old.TagIDs...)
		if old.Cover != nil {
			img := *old.Cover
			a.Cover = &img
		}
		if err := change(tx, &a); err != nil {
			return err
		}
		if err := a.Prepare(); err != nil {
			return err
		}
		db.normalizeTimes(&a)
		if reflect.DeepEqual(old, &a) {
			out = old
			return nil
		}
		if a.Slug != old.Slug {
			if err := slugFree(ctx, tx, "articles", a.Slug); err != nil {
				return err
			}
		}
		// Strictly later than the version replaced, so that its updatedAt
		// never matches the new one's.
		now := db.now()
		if now.UnixMilli() <= old.UpdatedAt.UnixMilli() {
			now = old.UpdatedAt.Add(time.Millisecond)
		}
		a.UpdatedAt = db.timeOf(now.UnixMilli())
		if err := saveRevision(ctx, tx, old, action, news.EditorName(ctx), a.UpdatedAt); err != nil {
			return err
		}
		w, err := newArticleWriter(ctx, tx)
		if err != nil {
			return err
		}
		defer w.close()
		if err := w.update(ctx, old, &a, oldKey); err != nil {
			return err
		}
		if typ := news.ChangeEvent(old, &a); typ != "" {
			if err := db.enqueueEvent(ctx, tx, typ, &a); err != nil {
				return err
			}
		}
		if old.Status == news.StatusPublished || a.Status == news.StatusPublished {
			if err := refreshRelatedAround(ctx, tx, a.ID); err != nil {
				return err
			}
		}
		out = &a
		return nil
	})
	return out, err
}

// loadArticle reads the article id whatever its status, with its author and
// tag ids and its search key, inside tx.
func (db *DB) loadArticle(ctx context.Context, tx *sql.Tx, id int64) (*news.Article, sql.NullInt64, error) {
	var key sql.NullInt64
	a, err := db.scanArticle(tx.QueryRowContext(ctx, `SELECT `+articleCols+` FROM articles a WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, key, news.Errorf(news.ENOTFOUND, "no article with id %s", news.NodeID(news.KindArticle, id))
	}
	if err != nil {
		return nil, key, err
	}
	if err := tx.QueryRowContext(ctx, `SELECT search_key FROM articles WHERE id = ?`, id).Scan(&key); err != nil {
		return nil, key, err
	}
	a.AuthorIDs, err = idsOf(ctx, tx, `SELECT author_id FROM article_authors WHERE article_id = ? ORDER BY position`, id)
	if err != nil {
		return nil, key, err
	}
	a.TagIDs, err = idsOf(ctx, tx, `SELECT tag_id FROM article_tags WHERE article_id = ? ORDER BY position`, id)
	return a, key, err
}

// idsOf runs a query of one id column; the result is never nil.
func idsOf(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]int64, error) {
	return scanIDs(tx.QueryContext(ctx, query, args...))
}

// resolveRefs sets a's category, authors and tags from the slugs and names
// in u, creating the tags that do not exist yet.
func resolveRefs(ctx context.Context, tx *sql.Tx, now time.Time, u *news.ArticleUpdate, a *news.Article) error {
	if u.Category != nil {
		err := tx.QueryRowContext(ctx, `SELECT id FROM categories WHERE slug = ?`, *u.Category).Scan(&a.CategoryID)
		if errors.Is(err, sql.ErrNoRows) {
			return news.Invalid("category", "no category with slug %q", *u.Category)
		}
		if err != nil {
			return err
		}
	}
	if u.Authors != nil {
		if len(u.Authors) > maxAuthors {
			return news.Invalid("authors", "at most %d authors", maxAuthors)
		}
		a.AuthorIDs = make([]int64, 0, len(u.Authors))
		for _, slug := range u.Authors {
			var id int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM authors WHERE slug = ?`, slug).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				return news.Invalid("authors", "no author with slug %q", slug)
			}
			if err != nil {
				return err
			}
			a.AuthorIDs = append(a.AuthorIDs, id)
		}
	}
	if u.Tags != nil {
		if len(u.Tags) > maxTags {
			return news.Invalid("tags", "at most %d tags", maxTags)
		}
		a.TagIDs = make([]int64, 0, len(u.Tags))
		for _, ref := range u.Tags {
			id, err := ensureTag(ctx, tx, now, ref)
			if err != nil {
				return err
			}
			a.TagIDs = append(a.TagIDs, id)
		}
	}
	return nil
}

// ensureTag returns the id of the tag ref names (by slug or name), creating
// it when there is none.
func ensureTag(ctx context.Context, tx *sql.Tx, now time.Time, ref string) (int64, error) {
	slug, name, err := news.TagSlug(ref)
	if err != nil {
		return 0, err
	}
	var id int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM tags WHERE slug = ?`, slug).Scan(&id)
	if !errors.Is(err, sql.ErrNoRows) {
		return id, err
	}
	t := &news.Tag{Name: name, Slug: slug}
	if err := t.Prepare(); err != nil {
		return 0, news.Invalid("tags", "%s", news.ErrorMessage(err))
	}
	return insertTag(ctx, tx, now, t)
}

// saveRevision keeps old, the version an editorial change replaces.
func saveRevision(ctx context.Context, tx *sql.Tx, old *news.Article, action, editor string, at time.Time) error {
	snapshot, err := json.Marshal(old)
	if err != nil {
		return fmt.Errorf("revision: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO article_revisions (article_id, number, action, editor, saved_at, snapshot)
		VALUES (?1, (SELECT COALESCE(MAX(number), 0) + 1 FROM article_revisions WHERE article_id = ?1), ?2, ?3, ?4, ?5)`,
		old.ID, action, editor, at.UnixMilli(), snapshot)
	return err
}

// revisionsSQL lists an article's revisions, newest first.
const revisionsSQL = `SELECT number, action, editor, saved_at, snapshot FROM article_revisions
	WHERE article_id = ? ORDER BY number DESC`

// Revisions implements news.Writer.
func (db *DB) Revisions(ctx context.Context, id int64) ([]*news.Revision, error) {
	rows, err := db.query(ctx, revisionsSQL, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*news.Revision{}
	for rows.Next() {
		r := &news.Revision{ArticleID: id, Article: &news.Article{}}
		var saved int64
		var snapshot []byte
		if err := rows.Scan(&r.Number, &r.Action, &r.Editor, &saved, &snapshot); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(snapshot, r.Article); err != nil {
			return nil, fmt.Errorf("revision %d of article %d: %w", r.Number, id, err)
		}
		db.normalizeTimes(r.Article)
		r.SavedAt = db.timeOf(saved)
		out = append(out, r)
	}
	return out, rows.Err()
}

// PinRelated implements news.Writer.
func (db *DB) PinRelated(ctx context.Context, id int64, related []int64) (*news.Article, error) {
	related = news.UniqueIDs(related)
	if len(related) > news.MaxPinned {
		return nil, news.Invalid("related", "at most %d stories", news.MaxPinned)
	}
	var out *news.Article
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		a, _, err := db.loadArticle(ctx, tx, id)
		if err != nil {
			return err
		}
		for _, r := range related {
			if r == id {
				return news.Invalid("related", "an article cannot be related to itself")
			}
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM articles WHERE id IN (SELECT value FROM json_each(?))`,
			idList(related)).Scan(&n); err != nil {
			return err
		}
		if n != len(related) {
			return news.Invalid("related", "unknown article")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM article_related WHERE article_id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO article_related (article_id, related_id, position)
			SELECT ?1, value, key FROM json_each(?2)`, id, idList(related)); err != nil {
			return err
		}
		out = a
		return nil
	})
	return out, err
}
