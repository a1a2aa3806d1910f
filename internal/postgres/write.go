package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/newsdesk/newsdesk/internal/news"
)

// exists reports whether sql (SELECT 1 ...) finds a row.
func exists(ctx context.Context, tx pgx.Tx, sql string, a ...any) (bool, error) {
	var one int
	err := tx.QueryRow(ctx, sql, a...).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// nullID stores a zero id as NULL.
func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// slugFree returns a CONFLICT error when table already has slug. The table
// name is one of ours, never input.
func slugFree(ctx context.Context, tx pgx.Tx, table, slug string) error {
	taken, err := exists(ctx, tx, `SELECT 1 FROM `+table+` WHERE slug = $1`, slug)
	if err != nil {
		return err
	}
	if taken {
		return &news.Error{Code: news.ECONFLICT, Field: "slug", Message: fmt.Sprintf("slug: %q is taken", slug)}
	}
	return nil
}

// CreateCategory implements news.Writer.
func (db *DB) CreateCategory(ctx context.Context, c *news.Category) error {
	if err := c.Prepare(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		if err := slugFree(ctx, tx, "categories", c.Slug); err != nil {
			return err
		}
		if err := checkParent(ctx, tx, c); err != nil {
			return err
		}
		now := db.nowMillis()
		c.CreatedAt = db.timeOf(now)
		return tx.QueryRow(ctx, `INSERT INTO categories (slug, name, description, parent_id, position, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, c.Slug, c.Name, c.Description, nullID(c.ParentID), c.Position, now).Scan(&c.ID)
	})
}

// subtree is a recursive query of the category $1 and its descendants.
const subtree = `WITH RECURSIVE sub(id) AS (
	SELECT $1::bigint UNION SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id)`

// checkParent makes sure c's parent exists and is not c or one of its
// descendants.
func checkParent(ctx context.Context, tx pgx.Tx, c *news.Category) error {
	if c.ParentID == 0 {
		return nil
	}
	ok, err := exists(ctx, tx, `SELECT 1 FROM categories WHERE id = $1`, c.ParentID)
	if err != nil {
		return err
	}
	if !ok {
		return news.Invalid("parent", "no such category")
	}
	if c.ID == 0 {
		return nil
	}
	cycle, err := exists(ctx, tx, subtree+` SELECT 1 FROM sub WHERE id = $2`, c.ID, c.ParentID)
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
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		c, err := db.scanCategory(tx.QueryRow(ctx, `SELECT `+categoryCols+` FROM categories c WHERE c.id = $1 FOR UPDATE`, id))
		if errors.Is(err, pgx.ErrNoRows) {
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
				err := tx.QueryRow(ctx, `SELECT id FROM categories WHERE slug = $1`, *u.Parent).Scan(&c.ParentID)
				if errors.Is(err, pgx.ErrNoRows) {
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
		if _, err := tx.Exec(ctx, `UPDATE categories SET slug = $1, name = $2, description = $3, parent_id = $4,
			position = $5, updated_at = $6 WHERE id = $7`,
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

// refileSubtree rewrites the category links of every story filed in the
// category id or below it.
func refileSubtree(ctx context.Context, tx pgx.Tx, id int64) error {
	if _, err := tx.Exec(ctx, subtree+`
		DELETE FROM article_categories WHERE article_id IN (SELECT a.id FROM articles a WHERE a.category_id IN (SELECT id FROM sub))`, id); err != nil {
		return fmt.Errorf("refile: %w", err)
	}
	if _, err := tx.Exec(ctx, subtree+`,
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
	return db.inTx(ctx, func(tx pgx.Tx) error {
		if err := slugFree(ctx, tx, "authors", a.Slug); err != nil {
			return err
		}
		now := db.nowMillis()
		a.CreatedAt = db.timeOf(now)
		return tx.QueryRow(ctx, `INSERT INTO authors (slug, name, bio, avatar_url, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`, a.Slug, a.Name, a.Bio, a.AvatarURL, now).Scan(&a.ID)
	})
}

// UpdateAuthor implements news.Writer.
func (db *DB) UpdateAuthor(ctx context.Context, id int64, u news.AuthorUpdate) (*news.Author, error) {
	var out *news.Author
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		a, err := db.scanAuthor(tx.QueryRow(ctx, `SELECT `+authorCols+` FROM authors au WHERE au.id = $1 FOR UPDATE`, id))
		if errors.Is(err, pgx.ErrNoRows) {
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
		if _, err := tx.Exec(ctx, `UPDATE authors SET slug = $1, name = $2, bio = $3, avatar_url = $4, updated_at = $5
			WHERE id = $6`, a.Slug, a.Name, a.Bio, a.AvatarURL, db.nowMillis(), a.ID); err != nil {
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
	return db.inTx(ctx, func(tx pgx.Tx) error {
		if err := slugFree(ctx, tx, "tags", t.Slug); err != nil {
			return err
		}
		_, err := insertTag(ctx, tx, db.now(), t)
		return err
	})
}

// insertTag stores a prepared tag with a free slug, sets its id and
// creation time, and returns the id.
func insertTag(ctx context.Context, tx pgx.Tx, now time.Time, t *news.Tag) (int64, error) {
	t.CreatedAt = time.UnixMilli(now.UnixMilli()).In(now.Location())
	err := tx.QueryRow(ctx, `INSERT INTO tags (slug, name, created_at) VALUES ($1, $2, $3) RETURNING id`,
		t.Slug, t.Name, now.UnixMilli()).Scan(&t.ID)
	return t.ID, err
}

// ImportArticle implements news.Writer.
func (db *DB) ImportArticle(ctx context.Context, a *news.Article) error {
	explicitSlug := a.Slug != ""
	if err := a.Prepare(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
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
		if err := insertArticle(ctx, tx, a); err != nil {
			return err
		}
		return refreshRelatedAround(ctx, tx, a.ID)
	})
}

// placeSlug checks an explicit slug is free (CONFLICT if not), or makes a
// derived one unique with -2, -3…
func placeSlug(ctx context.Context, tx pgx.Tx, a *news.Article, explicit bool) error {
	if explicit {
		return slugFree(ctx, tx, "articles", a.Slug)
	}
	base := a.Slug
	for n := 2; ; n++ {
		taken, err := exists(ctx, tx, `SELECT 1 FROM articles WHERE slug = $1`, a.Slug)
		if err != nil || !taken {
			return err
		}
		a.Slug = base + "-" + strconv.Itoa(n)
	}
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
func checkRefs(ctx context.Context, tx pgx.Tx, a *news.Article) error {
	ok, err := exists(ctx, tx, `SELECT 1 FROM categories WHERE id = $1`, a.CategoryID)
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
		want := news.UniqueIDs(ref.ids)
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM `+ref.table+` WHERE id = ANY($1)`, want).Scan(&n); err != nil {
			return err
		}
		if n != len(want) {
			return news.Invalid(ref.field, "unknown %s", ref.field)
		}
	}
	return nil
}

// pubAt is what the link tables store for a: its publish time if
// published, else NULL.
func pubAt(a *news.Article) *int64 {
	if a.Status != news.StatusPublished {
		return nil
	}
	return millis(a.PublishedAt)
}

// pickKey returns the first key of a's publish second not in used, starting
// from a slot spread by id, and marks it used.
func pickKey(a *news.Article, used map[int64]bool) (int64, error) {
	base := news.SearchKeyBase(a.PublishedAt)
	for i := range int64(news.SearchKeysPerSecond) {
		if k := base + (a.ID+i)%news.SearchKeysPerSecond; !used[k] {
			used[k] = true
			return k, nil
		}
	}
	return 0, news.Invalid("publishedAt", "more than %d articles published in the same second", news.SearchKeysPerSecond)
}

// articleValues are the stored columns of a, in the order of
// insertArticleSQL's $2..$20 and updateArticleSQL's.
func articleValues(a *news.Article, key *int64) []any {
	img := news.Image{}
	if a.Cover != nil {
		img = *a.Cover
	}
	all, title := searchText(a)
	return []any{a.ID, a.Slug, a.Title, a.Excerpt, a.BodyHTML, a.BodyText,
		img.URL, img.Caption, img.Alt, img.Credit, img.Width, img.Height,
		string(a.Status), millis(a.PublishedAt), a.CategoryID, a.WordCount, a.ReadingMinutes,
		a.CreatedAt.UnixMilli(), a.UpdatedAt.UnixMilli(), key, all, title}
}

const (
	insertArticleSQL = `INSERT INTO articles (id, slug, title, excerpt, body_html, body_text,
		cover_url, cover_caption, cover_alt, cover_credit, cover_width, cover_height,
		status, published_at, category_id, word_count, reading_minutes, created_at, updated_at, search_key,
		search_all, search_title)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
		to_tsvector('simple', $21), to_tsvector('simple', $22))`
	updateArticleSQL = `UPDATE articles SET slug = $2, title = $3, excerpt = $4, body_html = $5, body_text = $6,
		cover_url = $7, cover_caption = $8, cover_alt = $9, cover_credit = $10, cover_width = $11, cover_height = $12,
		status = $13, published_at = $14, category_id = $15, word_count = $16, reading_minutes = $17,
		created_at = $18, updated_at = $19, search_key = $20,
		search_all = to_tsvector('simple', $21), search_title = to_tsvector('simple', $22)
		WHERE id = $1`
	// The article's category and every ancestor (UNION stops a cycle).
	linkCategoriesSQL = `WITH RECURSIVE up(id) AS (
			SELECT $1::bigint
			UNION
			SELECT c.parent_id FROM categories c JOIN up ON c.id = up.id WHERE c.parent_id IS NOT NULL)
		INSERT INTO article_categories (category_id, article_id, pub_at) SELECT id, $2, $3 FROM up`
	linkAuthorsSQL = `INSERT INTO article_authors (article_id, author_id, position, pub_at)
		SELECT $1, x.id, x.n - 1, $3 FROM unnest($2::bigint[]) WITH ORDINALITY AS x(id, n)`
	linkTagsSQL = `INSERT INTO article_tags (article_id, tag_id, position, pub_at)
		SELECT $1, x.id, x.n - 1, $3 FROM unnest($2::bigint[]) WITH ORDINALITY AS x(id, n)`
)

// newArticleID takes the next article id from the table's sequence: known
// before the insert, so that the search key goes in with the row.
func newArticleID(ctx context.Context, tx pgx.Tx) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `SELECT nextval(pg_get_serial_sequence('articles', 'id'))`).Scan(&id)
	return id, err
}

// insertArticle writes a prepared article and its links, and sets a.ID.
func insertArticle(ctx context.Context, tx pgx.Tx, a *news.Article) error {
	var err error
	if a.ID, err = newArticleID(ctx, tx); err != nil {
		return err
	}
	used, err := takenKeys(ctx, tx, []*news.Article{a})
	if err != nil {
		return err
	}
	return writeArticles(ctx, tx, []*news.Article{a}, used)
}

// updateArticle rewrites the stored article old.ID as a, links included,
// in one round trip. The search key stays while the publish time does.
func updateArticle(ctx context.Context, tx pgx.Tx, old, a *news.Article, oldKey *int64) error {
	key := oldKey
	if a.Status != news.StatusPublished {
		key = nil
	} else if oldKey == nil || old.Status != news.StatusPublished || !old.PublishedAt.Equal(a.PublishedAt) {
		used, err := takenKeys(ctx, tx, []*news.Article{a})
		if err != nil {
			return err
		}
		k, err := pickKey(a, used)
		if err != nil {
			return err
		}
		key = &k
	}
	b := &pgx.Batch{}
	b.Queue(updateArticleSQL, articleValues(a, key)...)
	for _, table := range []string{"article_authors", "article_tags", "article_categories"} {
		b.Queue(`DELETE FROM `+table+` WHERE article_id = $1`, a.ID)
	}
	queueLinks(b, a)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("update article: %w", err)
	}
	return nil
}

// queueLinks queues the statements that write a's authors, tags and
// categories.
func queueLinks(b *pgx.Batch, a *news.Article) {
	pub := pubAt(a)
	b.Queue(linkAuthorsSQL, a.ID, news.UniqueIDs(a.AuthorIDs), pub)
	b.Queue(linkTagsSQL, a.ID, news.UniqueIDs(a.TagIDs), pub)
	b.Queue(linkCategoriesSQL, a.CategoryID, a.ID, pub)
}
