package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/newsdesk/newsdesk/internal/news"
)

const (
	authorCols   = `au.id, au.slug, au.name, au.bio, au.avatar_url, au.created_at`
	tagCols      = `t.id, t.slug, t.name, t.created_at`
	categoryCols = `c.id, c.slug, c.name, c.description, COALESCE(c.parent_id, 0), c.position, c.created_at`
)

func (db *DB) scanAuthor(s pgx.Row) (*news.Author, error) {
	var a news.Author
	var created int64
	if err := s.Scan(&a.ID, &a.Slug, &a.Name, &a.Bio, &a.AvatarURL, &created); err != nil {
		return nil, err
	}
	a.CreatedAt = db.timeOf(created)
	return &a, nil
}

func (db *DB) scanTag(s pgx.Row) (*news.Tag, error) {
	var t news.Tag
	var created int64
	if err := s.Scan(&t.ID, &t.Slug, &t.Name, &created); err != nil {
		return nil, err
	}
	t.CreatedAt = db.timeOf(created)
	return &t, nil
}

func (db *DB) scanCategory(s pgx.Row) (*news.Category, error) {
	var c news.Category
	var created int64
	if err := s.Scan(&c.ID, &c.Slug, &c.Name, &c.Description, &c.ParentID, &c.Position, &created); err != nil {
		return nil, err
	}
	c.CreatedAt = db.timeOf(created)
	return &c, nil
}

// one runs a one-row read; no row is a NOT_FOUND error saying what.
func one[T any](ctx context.Context, r reader, scan func(pgx.Row) (*T, error), what, sql string, a ...any) (*T, error) {
	v, err := scan(r.db.queryRow(ctx, r.pool, sql, a...))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, news.Errorf(news.ENOTFOUND, "no %s", what)
	}
	return v, err
}

// linkIDsSQL reads the author and tag ids of a batch of articles (the one
// parameter is an array of ids), one row an id, as an article view does.
// The authors and tags themselves come from the store's LinkCache.
const linkIDsSQL = `SELECT a.id, ` + linkIDCols + ` FROM unnest($1::bigint[]) AS a(id)`

// linkIDs reads the link ids of the articles ids, from the primary as
// everything the link cache keeps (see cached).
func (r reader) linkIDs(ctx context.Context, ids []int64) (map[int64]*news.LinkIDs, error) {
	rows, err := r.db.query(ctx, r.cached().pool, linkIDsSQL, ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	links := make(map[int64]*news.LinkIDs, len(ids))
	for rows.Next() {
		var id int64
		var l news.LinkIDs
		if err := rows.Scan(&id, &l.Authors, &l.Tags); err != nil {
			return nil, err
		}
		links[id] = &l
	}
	return links, rows.Err()
}

// cached is r reading from the primary: what the store keeps per
// generation (link ids, authors, tags, categories) is read there, since a
// lagging replica could answer with rows from before a write that has
// already moved the generation, and they would be kept as current, for
// editors' previews too. Cache misses are few; the primary serves them.
func (r reader) cached() reader {
	return reader{db: r.db, pool: r.db.w, preview: r.preview}
}

// LinksOfArticles implements news.Reader: the link ids and the authors and
// tags from the link cache, or one statement each kind it lacks.
func (r reader) LinksOfArticles(ctx context.Context, ids []int64, parts news.ViewParts) (map[int64][]*news.Author, map[int64][]*news.Tag, error) {
	return r.db.links.ArticleLinks(ctx, r.db.gen.Load(), ids, parts, r.linkIDs, r.loadAuthors, r.loadTags)
}

// Categories implements news.Reader, kept per generation.
func (r reader) Categories(ctx context.Context) ([]*news.Category, error) {
	list, _, err := r.categories(ctx)
	return list, err
}

// CategoryTree implements news.Reader.
func (r reader) CategoryTree(ctx context.Context) (*news.CategoryTree, error) {
	_, tree, err := r.categories(ctx)
	return tree, err
}

func (r reader) categories(ctx context.Context) ([]*news.Category, *news.CategoryTree, error) {
	return r.db.cats.Get(ctx, r.db.gen.Load(), func(ctx context.Context) ([]*news.Category, error) {
		return collect(ctx, r.cached(), r.db.scanCategory, `SELECT `+categoryCols+` FROM categories c ORDER BY c.position, c.id`)
	})
}

// AuthorBySlug implements news.Reader.
func (r reader) AuthorBySlug(ctx context.Context, slug string) (*news.Author, error) {
	return one(ctx, r, r.db.scanAuthor, fmt.Sprintf("author with slug %q", slug),
		`SELECT `+authorCols+` FROM authors au WHERE au.slug = $1`, slug)
}

// TagBySlug implements news.Reader.
func (r reader) TagBySlug(ctx context.Context, slug string) (*news.Tag, error) {
	return one(ctx, r, r.db.scanTag, fmt.Sprintf("tag with slug %q", slug),
		`SELECT `+tagCols+` FROM tags t WHERE t.slug = $1`, slug)
}

// AuthorsByID implements news.Reader.
func (r reader) AuthorsByID(ctx context.Context, ids []int64) (map[int64]*news.Author, error) {
	return r.db.links.Authors(ctx, r.db.gen.Load(), ids, r.loadAuthors)
}

// TagsByID implements news.Reader.
func (r reader) TagsByID(ctx context.Context, ids []int64) (map[int64]*news.Tag, error) {
	return r.db.links.Tags(ctx, r.db.gen.Load(), ids, r.loadTags)
}

// loadAuthors and loadTags read authors and tags by id from the primary:
// what the link cache has not got.
func (r reader) loadAuthors(ctx context.Context, ids []int64) (map[int64]*news.Author, error) {
	list, err := collect(ctx, r.cached(), r.db.scanAuthor, `SELECT `+authorCols+` FROM authors au WHERE au.id = ANY($1)`, ids)
	return byID(list, func(a *news.Author) int64 { return a.ID }), err
}

func (r reader) loadTags(ctx context.Context, ids []int64) (map[int64]*news.Tag, error) {
	list, err := collect(ctx, r.cached(), r.db.scanTag, `SELECT `+tagCols+` FROM tags t WHERE t.id = ANY($1)`, ids)
	return byID(list, func(t *news.Tag) int64 { return t.ID }), err
}

func byID[T any](list []*T, id func(*T) int64) map[int64]*T {
	out := make(map[int64]*T, len(list))
	for _, v := range list {
		out[id(v)] = v
	}
	return out
}

// FindAuthors implements news.Reader.
func (r reader) FindAuthors(ctx context.Context, p news.Page) (*news.List[news.Author], error) {
	return findBySlug(ctx, r, r.db.scanAuthor, `SELECT `+authorCols+` FROM authors au`, "au.slug", p)
}

// FindTags implements news.Reader.
func (r reader) FindTags(ctx context.Context, p news.Page) (*news.List[news.Tag], error) {
	return findBySlug(ctx, r, r.db.scanTag, `SELECT `+tagCols+` FROM tags t`, "t.slug", p)
}

// findBySlug pages through a table in slug order with keyset cursors.
func findBySlug[T any](ctx context.Context, r reader, scan func(pgx.Row) (*T, error), selectFrom, slugCol string, p news.Page) (*news.List[T], error) {
	var a args
	q := selectFrom + ` WHERE true`
	if p.After != nil {
		q += ` AND ` + slugCol + ` > ` + a.add(p.After.Slug)
	}
	if p.Before != nil {
		q += ` AND ` + slugCol + ` < ` + a.add(p.Before.Slug)
	}
	order := "ASC"
	if p.Backward {
		order = "DESC"
	}
	q += ` ORDER BY ` + slugCol + ` ` + order + ` LIMIT ` + a.add(p.Limit+1)
	items, err := collect(ctx, r, scan, q, a...)
	if err != nil {
		return nil, err
	}
	return news.PageOf(items, p), nil
}
