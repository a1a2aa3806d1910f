package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/vntext"
)

// inTx runs fn in a writer transaction (BEGIN IMMEDIATE), committing when fn
// returns nil and rolling back otherwise, and moves the generation on: what
// readers see may have changed. A full disk or a read-only database is an
// UNAVAILABLE error, and nothing is written.
func (db *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return db.tx(ctx, true, fn)
}

// inBookkeepingTx is inTx for writes no public answer shows at once (keys,
// webhooks and their outbox, registered queries, view counts): the
// generation stays, so the caches of public answers keep. (Most-read lists
// follow view counts within the caches' 30 s.)
func (db *DB) inBookkeepingTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return db.tx(ctx, false, fn)
}

func (db *DB) tx(ctx context.Context, content bool, fn func(tx *sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return storageError(fmt.Errorf("begin: %w", err))
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return storageError(err)
	}
	if err := tx.Commit(); err != nil {
		return storageError(err)
	}
	if content {
		db.gen.Add(1)
	}
	return nil
}

// exists reports whether query (SELECT 1 ...) finds a row.
func exists(ctx context.Context, tx *sql.Tx, query string, args ...any) (bool, error) {
	var one int
	err := tx.QueryRowContext(ctx, query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// CreateCategory implements news.Writer.
func (db *DB) CreateCategory(ctx context.Context, c *news.Category) error {
	if err := c.Prepare(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := slugFree(ctx, tx, "categories", c.Slug); err != nil {
			return err
		}
		if err := checkParent(ctx, tx, c); err != nil {
			return err
		}
		now := db.now()
		res, err := tx.ExecContext(ctx, `INSERT INTO categories (slug, name, description, parent_id, position, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, c.Slug, c.Name, c.Description, nullID(c.ParentID), c.Position, now.UnixMilli(), now.UnixMilli())
		if err != nil {
			return err
		}
		c.ID, err = res.LastInsertId()
		c.CreatedAt = db.timeOf(now.UnixMilli())
		return err
	})
}

// nullID stores a zero id as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// checkParent makes sure c's parent exists and is not c or one of its
// descendants (which would make a cycle).
func checkParent(ctx context.Context, tx *sql.Tx, c *news.Category) error {
	if c.ParentID == 0 {
		return nil
	}
	ok, err := exists(ctx, tx, `SELECT 1 FROM categories WHERE id = ?`, c.ParentID)
	if err != nil {
		return err
	}
	if !ok {
		return news.Invalid("parent", "no such category")
	}
	if c.ID == 0 {
		return nil
	}
	cycle, err := exists(ctx, tx, `WITH RECURSIVE sub(id) AS (
			SELECT ?1 UNION SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id)
		SELECT 1 FROM sub WHERE id = ?2`, c.ID, c.ParentID)
	if err != nil {
		return err
	}
	if cycle {
		return news.Invalid("parent", "a category cannot move under itself or one of its sub-categories")
	}
	return nil
}

// UpdateCategory implements news.Writer. Moving a category re-files the
// stories of its whole subtree under their new ancestors.
func (db *DB) UpdateCategory(ctx context.Context, id int64, u news.CategoryUpdate) (*news.Category, error) {
	var out *news.Category
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		c, err := db.scanCategory(tx.QueryRowContext(ctx, `SELECT `+categoryCols+` FROM categories c WHERE c.id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return news.Errorf(news.ENOTFOUND, "no category with id %s", news.NodeID(news.KindCategory, id))
		}
		if err != nil {
			return err
		}
		old := *c
		u.Apply(c)
		if u.Parent != nil {
			c.ParentID = 0
			if *u.Parent != "" {
				err := tx.QueryRowContext(ctx, `SELECT id FROM categories WHERE slug = ?`, *u.Parent).Scan(&c.ParentID)
				if errors.Is(err, sql.ErrNoRows) {
					return news.Invalid("parent", "no category with slug %q", *u.Parent)
				}
				if err != nil {
					return err
				}
			}
		}
		if err := c.Prepare(); err != nil {
			return err
		}
		if c.Slug != old.Slug {
			if err := slugFree(ctx, tx, "categories", c.Slug); err != nil {
				return err
			}
		}
		if err := checkParent(ctx, tx, c); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE categories SET slug = ?, name = ?, description = ?, parent_id = ?,
			position = ?, updated_at = ? WHERE id = ?`,
			c.Slug, c.Name, c.Description, nullID(c.ParentID), c.Position, db.nowMillis(), c.ID); err != nil {
			return err
		}
		if c.ParentID != old.ParentID {
			if err := refileSubtree(ctx, tx, c.ID); err != nil {
				return err
			}
		}
		out = c
		return nil
	})
	return out, err
}

// refileSubtree rewrites the category links (each category and its
// ancestors) of every story filed in the category id or below it.
func refileSubtree(ctx context.Context, tx *sql.Tx, id int64) error {
	const sub = `WITH RECURSIVE sub(id) AS (
		SELECT ?1 UNION SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id)`
	if _, err := tx.ExecContext(ctx, sub+`
		DELETE FROM article_categories WHERE article_id IN (SELECT a.id FROM articles a WHERE a.category_id IN sub)`, id); err != nil {
		return fmt.Errorf("refile: %w", err)
	}
	if _, err := tx.ExecContext(ctx, sub+`,
		up(cat, anc) AS (
			SELECT id, id FROM sub
			UNION
			SELECT up.cat, c.parent_id FROM up JOIN categories c ON c.id = up.anc WHERE c.parent_id IS NOT NULL)
		INSERT INTO article_categories (category_id, article_id, pub_at)
		SELECT up.anc, a.id, CASE WHEN a.status = 'published' THEN a.published_at END
		FROM up JOIN articles a ON a.category_id = up.cat`, id); err != nil {
		return fmt.Errorf("refile: %w", err)
	}
	return nil
}

// CreateAuthor implements news.Writer.
func (db *DB) CreateAuthor(ctx context.Context, a *news.Author) error {
	if err := a.Prepare(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := slugFree(ctx, tx, "authors", a.Slug); err != nil {
			return err
		}
		now := db.now()
		res, err := tx.ExecContext(ctx, `INSERT INTO authors (slug, name, bio, avatar_url, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, a.Slug, a.Name, a.Bio, a.AvatarURL, now.UnixMilli(), now.UnixMilli())
		if err != nil {
			return err
		}
		a.ID, err = res.LastInsertId()
		a.CreatedAt = db.timeOf(now.UnixMilli())
		return err
	})
}

// UpdateAuthor implements news.Writer.
func (db *DB) UpdateAuthor(ctx context.Context, id int64, u news.AuthorUpdate) (*news.Author, error) {
	var out *news.Author
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		a, err := db.scanAuthor(tx.QueryRowContext(ctx, `SELECT `+authorCols+` FROM authors au WHERE au.id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return news.Errorf(news.ENOTFOUND, "no author with id %s", news.NodeID(news.KindAuthor, id))
		}
		if err != nil {
			return err
		}
		oldSlug := a.Slug
		u.Apply(a)
		if err := a.Prepare(); err != nil {
			return err
		}
		if a.Slug != oldSlug {
			if err := slugFree(ctx, tx, "authors", a.Slug); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE authors SET slug = ?, name = ?, bio = ?, avatar_url = ?, updated_at = ?
			WHERE id = ?`, a.Slug, a.Name, a.Bio, a.AvatarURL, db.nowMillis(), a.ID); err != nil {
			return err
		}
		out = a
		return nil
	})
	return out, err
}

// CreateTag implements news.Writer.
func (db *DB) CreateTag(ctx context.Context, t *news.Tag) error {
	if err := t.Prepare(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := slugFree(ctx, tx, "tags", t.Slug); err != nil {
			return err
		}
		_, err := insertTag(ctx, tx, db.now(), t)
		return err
	})
}

// insertTag stores a prepared tag with a free slug, sets its id and
// creation time, and returns the id.
func insertTag(ctx context.Context, tx *sql.Tx, now time.Time, t *news.Tag) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO tags (slug, name, created_at) VALUES (?, ?, ?)`,
		t.Slug, t.Name, now.UnixMilli())
	if err != nil {
		return 0, err
	}
	t.ID, err = res.LastInsertId()
	t.CreatedAt = now
	return t.ID, err
}

// slugFree returns a CONFLICT error when table already has slug. The table
// name is one of ours, never input.
func slugFree(ctx context.Context, tx *sql.Tx, table, slug string) error {
	taken, err := exists(ctx, tx, `SELECT 1 FROM `+table+` WHERE slug = ?`, slug)
	if err != nil {
		return err
	}
	if taken {
		return &news.Error{Code: news.ECONFLICT, Field: "slug", Message: fmt.Sprintf("slug: %q is taken", slug)}
	}
	return nil
}

// ImportArticle implements news.Writer.
func (db *DB) ImportArticle(ctx context.Context, a *news.Article) error {
	explicitSlug := a.Slug != ""
	if err := a.Prepare(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkRefs(ctx, tx, a); err != nil {
			return err
		}
		if err := placeSlug(ctx, tx, a, explicitSlug); err != nil {
			return err
		}
		if a.CreatedAt.IsZero() {
			a.CreatedAt = db.now()
		}
		if a.UpdatedAt.IsZero() {
			a.UpdatedAt = a.CreatedAt
		}
		db.normalizeTimes(a)
		w, err := newArticleWriter(ctx, tx)
		if err != nil {
			return err
		}
		defer w.close()
		if err := w.insert(ctx, a); err != nil {
			return err
		}
		return refreshRelatedAround(ctx, tx, a.ID)
	})
}

// placeSlug checks an explicit slug is free (CONFLICT if not), or makes a
// derived one unique.
func placeSlug(ctx context.Context, tx *sql.Tx, a *news.Article, explicit bool) error {
	if explicit {
		return slugFree(ctx, tx, "articles", a.Slug)
	}
	return uniqueArticleSlug(ctx, tx, a)
}

// normalizeTimes puts a's times at the store's precision (milliseconds) in
// the site's zone: what a read returns later.
func (db *DB) normalizeTimes(a *news.Article) {
	for _, t := range []*time.Time{&a.PublishedAt, &a.CreatedAt, &a.UpdatedAt} {
		if !t.IsZero() {
			*t = db.timeOf(t.UnixMilli())
		}
	}
}

// checkRefs makes sure a's category, authors and tags exist.
func checkRefs(ctx context.Context, tx *sql.Tx, a *news.Article) error {
	ok, err := exists(ctx, tx, `SELECT 1 FROM categories WHERE id = ?`, a.CategoryID)
	if err != nil {
		return err
	}
	if !ok {
		return news.Invalid("category", "no such category")
	}
	for _, ref := range []struct {
		field, table string
		ids          []int64
	}{{"authors", "authors", a.AuthorIDs}, {"tags", "tags", a.TagIDs}} {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+ref.table+` WHERE id IN (SELECT DISTINCT value FROM json_each(?))`,
			idList(ref.ids)).Scan(&n); err != nil {
			return err
		}
		if n != len(news.UniqueIDs(ref.ids)) {
			return news.Invalid(ref.field, "unknown %s", ref.field)
		}
	}
	return nil
}

// uniqueArticleSlug appends -2, -3… to a.Slug until no article has it.
func uniqueArticleSlug(ctx context.Context, tx *sql.Tx, a *news.Article) error {
	base := a.Slug
	for n := 2; ; n++ {
		taken, err := exists(ctx, tx, `SELECT 1 FROM articles WHERE slug = ?`, a.Slug)
		if err != nil || !taken {
			return err
		}
		a.Slug = base + "-" + strconv.Itoa(n)
	}
}

// articleWriter holds the prepared statements that write an article and its
// links inside one transaction: used once by each editorial write and many times by
// a bulk load.
type articleWriter struct {
	article, rewrite, author, tag, categories, keyTaken, unlink *sql.Stmt
	// nextID is the id the next insert takes: known before the insert so
	// that the row's search key goes in with it.
	nextID int64
	// searchAll and searchTitles, when set, index articles directly instead
	// of through the insert trigger, in one run per transaction (bulk loads
	// drop the trigger: FTS5 flushes its pending terms to disk at every
	// statement savepoint, and inserting links opens one per article, which
	// made a bulk load three times slower).
	searchAll, searchTitles *sql.Stmt
	pending                 []pendingSearch
}

// pendingSearch is one article's folded text waiting to be indexed.
type pendingSearch struct {
	key         int64
	all, titles string
}

// flushSearch indexes the pending articles, with no other statement in
// between.
func (w *articleWriter) flushSearch(ctx context.Context) error {
	for _, p := range w.pending {
		if _, err := w.searchAll.ExecContext(ctx, p.key, p.all); err != nil {
			return fmt.Errorf("index article: %w", err)
		}
		if _, err := w.searchTitles.ExecContext(ctx, p.key, p.titles); err != nil {
			return fmt.Errorf("index article: %w", err)
		}
	}
	w.pending = w.pending[:0]
	return nil
}

func newArticleWriter(ctx context.Context, tx *sql.Tx) (*articleWriter, error) {
	w := &articleWriter{}
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM articles`).Scan(&w.nextID); err != nil {
		return nil, err
	}
	for _, s := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&w.article, `INSERT INTO articles (id, slug, title, excerpt, body_html, body_text,
			cover_url, cover_caption, cover_alt, cover_credit, cover_width, cover_height,
			status, published_at, category_id, word_count, reading_minutes, created_at, updated_at, search_key,
			author_ids, tag_ids)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&w.rewrite, `UPDATE articles SET slug = ?2, title = ?3, excerpt = ?4, body_html = ?5, body_text = ?6,
			cover_url = ?7, cover_caption = ?8, cover_alt = ?9, cover_credit = ?10, cover_width = ?11, cover_height = ?12,
			status = ?13, published_at = ?14, category_id = ?15, word_count = ?16, reading_minutes = ?17,
			updated_at = ?18, search_key = ?19, author_ids = ?20, tag_ids = ?21
			WHERE id = ?1`},
		// The links are rewritten whole on an update.
		{&w.unlink, `DELETE FROM article_authors WHERE article_id = ?1;
			DELETE FROM article_tags WHERE article_id = ?1;
			DELETE FROM article_categories WHERE article_id = ?1`},
		{&w.author, `INSERT INTO article_authors (article_id, author_id, position, pub_at) VALUES (?, ?, ?, ?)`},
		{&w.tag, `INSERT INTO article_tags (article_id, tag_id, position, pub_at) VALUES (?, ?, ?, ?)`},
		{&w.keyTaken, `SELECT 1 FROM articles WHERE search_key = ?`},
		// The article's category and every ancestor (UNION stops a cycle).
		{&w.categories, `WITH RECURSIVE up(id) AS (
				SELECT ?1
				UNION
				SELECT c.parent_id FROM categories c JOIN up ON c.id = up.id WHERE c.parent_id IS NOT NULL)
			INSERT INTO article_categories (category_id, article_id, pub_at) SELECT id, ?2, ?3 FROM up`},
	} {
		st, err := tx.PrepareContext(ctx, s.query)
		if err != nil {
			w.close()
			return nil, err
		}
		*s.dst = st
	}
	return w, nil
}

func (w *articleWriter) close() {
	if w == nil {
		return
	}
	for _, s := range []*sql.Stmt{w.article, w.rewrite, w.author, w.tag, w.categories, w.keyTaken, w.unlink, w.searchAll, w.searchTitles} {
		if s != nil {
			s.Close()
		}
	}
}

// searchKey picks a's search key: the first free one of its publish
// second's keys, starting from a slot spread by id.
func (w *articleWriter) searchKey(ctx context.Context, a *news.Article) (int64, error) {
	base := news.SearchKeyBase(a.PublishedAt)
	for i := range int64(news.SearchKeysPerSecond) {
		k := base + (a.ID+i)%news.SearchKeysPerSecond
		var one int
		err := w.keyTaken.QueryRowContext(ctx, k).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return k, nil
		}
		if err != nil {
			return 0, err
		}
	}
	return 0, news.Invalid("publishedAt", "more than %d articles published in the same second", news.SearchKeysPerSecond)
}

// pubAt is what the link tables store for a: its publish time if published,
// else NULL, so that public lists never see it.
func pubAt(a *news.Article) any {
	if a.Status != news.StatusPublished {
		return nil
	}
	return millis(a.PublishedAt)
}

// insert writes a prepared article and its links, and sets a.ID.
func (w *articleWriter) insert(ctx context.Context, a *news.Article) error {
	a.ID = w.nextID
	var key any
	if a.Status == news.StatusPublished {
		k, err := w.searchKey(ctx, a)
		if err != nil {
			return err
		}
		key = k
	}
	img := coverOf(a)
	if _, err := w.article.ExecContext(ctx, a.ID, a.Slug, a.Title, a.Excerpt, a.BodyHTML, a.BodyText,
		img.URL, img.Caption, img.Alt, img.Credit, img.Width, img.Height,
		string(a.Status), millis(a.PublishedAt), a.CategoryID, a.WordCount, a.ReadingMinutes,
		a.CreatedAt.UnixMilli(), a.UpdatedAt.UnixMilli(), key, joinIDs(a.AuthorIDs), joinIDs(a.TagIDs)); err != nil {
		return fmt.Errorf("insert article: %w", err)
	}
	w.nextID++
	if err := w.link(ctx, a); err != nil {
		return err
	}
	if w.searchAll != nil && key != nil {
		// The same text the trigger indexes, folded by the same function.
		w.pending = append(w.pending, pendingSearch{
			key:    key.(int64),
			all:    vntext.FoldWords(a.Title + " " + a.Excerpt + " " + a.BodyText),
			titles: vntext.FoldWords(a.Title),
		})
	}
	return nil
}

// update rewrites the stored article old.ID as a, links included. The
// search key stays while the publish time does; the triggers re-index.
func (w *articleWriter) update(ctx context.Context, old, a *news.Article, oldKey sql.NullInt64) error {
	var key any
	if a.Status == news.StatusPublished {
		if oldKey.Valid && old.Status == news.StatusPublished && old.PublishedAt.Equal(a.PublishedAt) {
			key = oldKey.Int64
		} else {
			k, err := w.searchKey(ctx, a)
			if err != nil {
				return err
			}
			key = k
		}
	}
	img := coverOf(a)
	if _, err := w.rewrite.ExecContext(ctx, a.ID, a.Slug, a.Title, a.Excerpt, a.BodyHTML, a.BodyText,
		img.URL, img.Caption, img.Alt, img.Credit, img.Width, img.Height,
		string(a.Status), millis(a.PublishedAt), a.CategoryID, a.WordCount, a.ReadingMinutes,
		a.UpdatedAt.UnixMilli(), key, joinIDs(a.AuthorIDs), joinIDs(a.TagIDs)); err != nil {
		return fmt.Errorf("update article: %w", err)
	}
	if _, err := w.unlink.ExecContext(ctx, a.ID); err != nil {
		return fmt.Errorf("unlink article: %w", err)
	}
	return w.link(ctx, a)
}

// joinIDs is the articles row's copy of link ids (author_ids, tag_ids): the
// ids link writes, in its order, comma-separated, as commaIDs reads them.
func joinIDs(ids []int64) string {
	var b []byte
	for i, id := range news.UniqueIDs(ids) {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(b)
}

// link writes a's authors, tags and categories.
func (w *articleWriter) link(ctx context.Context, a *news.Article) error {
	pub := pubAt(a)
	for i, id := range news.UniqueIDs(a.AuthorIDs) {
		if _, err := w.author.ExecContext(ctx, a.ID, id, i, pub); err != nil {
			return fmt.Errorf("insert article author: %w", err)
		}
	}
	for i, id := range news.UniqueIDs(a.TagIDs) {
		if _, err := w.tag.ExecContext(ctx, a.ID, id, i, pub); err != nil {
			return fmt.Errorf("insert article tag: %w", err)
		}
	}
	if _, err := w.categories.ExecContext(ctx, a.CategoryID, a.ID, pub); err != nil {
		return fmt.Errorf("insert article categories: %w", err)
	}
	return nil
}

// coverOf returns a's cover photo, or the empty image stored for none.
func coverOf(a *news.Article) news.Image {
	if a.Cover == nil {
		return news.Image{}
	}
	return *a.Cover
}
