package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/newsdesk/newsdesk/internal/news"
)

const (
	authorCols   = `au.id, au.slug, au.name, au.bio, au.avatar_url, au.created_at`
	tagCols      = `t.id, t.slug, t.name, t.created_at`
	categoryCols = `c.id, c.slug, c.name, c.description, COALESCE(c.parent_id, 0), c.position, c.created_at`
)

func (db *DB) scanAuthor(s scanner) (*news.Author, error) {
	var a news.Author
	var created int64
	if err := s.Scan(&a.ID, &a.Slug, &a.Name, &a.Bio, &a.AvatarURL, &created); err != nil {
		return nil, err
	}
	a.CreatedAt = db.timeOf(created)
	return &a, nil
}

func (db *DB) scanTag(s scanner) (*news.Tag, error) {
	var t news.Tag
	var created int64
	if err := s.Scan(&t.ID, &t.Slug, &t.Name, &created); err != nil {
		return nil, err
	}
	t.CreatedAt = db.timeOf(created)
	return &t, nil
}

func (db *DB) scanCategory(s scanner) (*news.Category, error) {
	var c news.Category
	var created int64
	if err := s.Scan(&c.ID, &c.Slug, &c.Name, &c.Description, &c.ParentID, &c.Position, &created); err != nil {
		return nil, err
	}
	c.CreatedAt = db.timeOf(created)
	return &c, nil
}

// collect runs a read query and scans every row with scan.
// scanIDs reads rows of one id column, as a query returns them, to the
// end; an empty result is an empty slice.
func scanIDs(rows *sql.Rows, err error) ([]int64, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func collect[T any](ctx context.Context, db *DB, scan func(scanner) (*T, error), query string, args ...any) ([]*T, error) {
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// one runs a one-row read query; no row is a NOT_FOUND error saying what.
func one[T any](ctx context.Context, db *DB, scan func(scanner) (*T, error), what, query string, args ...any) (*T, error) {
	row, err := db.queryRow(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	v, err := scan(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.Errorf(news.ENOTFOUND, "no %s", what)
	}
	return v, err
}

// linkIDsSQL reads the author and tag ids of a batch of articles (the one
// parameter is a JSON array of ids), one row an id, as an article view
// does. The authors and tags themselves come from the store's LinkCache.
const linkIDsSQL = `SELECT json_each.value, ` + linkIDCols + ` FROM json_each(?) LEFT JOIN articles a ON a.id = json_each.value`

// linkIDs reads the link ids of the articles ids.
func (db *DB) linkIDs(ctx context.Context, ids []int64) (map[int64]*news.LinkIDs, error) {
	rows, err := db.query(ctx, linkIDsSQL, idList(ids))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	links := make(map[int64]*news.LinkIDs, len(ids))
	for rows.Next() {
		var id int64
		var l news.LinkIDs
		if err := rows.Scan(&id, (*commaIDs)(&l.Authors), (*commaIDs)(&l.Tags)); err != nil {
			return nil, err
		}
		links[id] = &l
	}
	return links, rows.Err()
}

// LinksOfArticles implements news.Reader: the link ids from the link cache
// (a list puts its own there) or one statement, the authors and tags from
// the link cache.
func (db *DB) LinksOfArticles(ctx context.Context, ids []int64, parts news.ViewParts) (map[int64][]*news.Author, map[int64][]*news.Tag, error) {
	return db.links.ArticleLinks(ctx, db.gen.Load(), ids, parts, db.linkIDs, db.loadAuthors, db.loadTags)
}

// Categories implements news.Reader, kept per generation.
func (db *DB) Categories(ctx context.Context) ([]*news.Category, error) {
	list, _, err := db.categories(ctx)
	return list, err
}

// CategoryTree implements news.Reader.
func (db *DB) CategoryTree(ctx context.Context) (*news.CategoryTree, error) {
	_, tree, err := db.categories(ctx)
	return tree, err
}

func (db *DB) categories(ctx context.Context) ([]*news.Category, *news.CategoryTree, error) {
	return db.cats.Get(ctx, db.gen.Load(), func(ctx context.Context) ([]*news.Category, error) {
		return collect(ctx, db, db.scanCategory, `SELECT `+categoryCols+` FROM categories c ORDER BY c.position, c.id`)
	})
}

// AuthorBySlug implements news.Reader.
func (db *DB) AuthorBySlug(ctx context.Context, slug string) (*news.Author, error) {
	return one(ctx, db, db.scanAuthor, fmt.Sprintf("author with slug %q", slug),
		`SELECT `+authorCols+` FROM authors au WHERE au.slug = ?`, slug)
}

// TagBySlug implements news.Reader.
func (db *DB) TagBySlug(ctx context.Context, slug string) (*news.Tag, error) {
	return one(ctx, db, db.scanTag, fmt.Sprintf("tag with slug %q", slug),
		`SELECT `+tagCols+` FROM tags t WHERE t.slug = ?`, slug)
}

// AuthorsByID implements news.Reader.
func (db *DB) AuthorsByID(ctx context.Context, ids []int64) (map[int64]*news.Author, error) {
	return db.links.Authors(ctx, db.gen.Load(), ids, db.loadAuthors)
}

// TagsByID implements news.Reader.
func (db *DB) TagsByID(ctx context.Context, ids []int64) (map[int64]*news.Tag, error) {
	return db.links.Tags(ctx, db.gen.Load(), ids, db.loadTags)
}

// loadAuthors and loadTags read authors and tags by id from the database:
// what the link cache has not got.
func (db *DB) loadAuthors(ctx context.Context, ids []int64) (map[int64]*news.Author, error) {
	list, err := collect(ctx, db, db.scanAuthor, `SELECT `+authorCols+` FROM authors au
		WHERE au.id IN (SELECT value FROM json_each(?))`, idList(ids))
	return byID(list, func(a *news.Author) int64 { return a.ID }), err
}

func (db *DB) loadTags(ctx context.Context, ids []int64) (map[int64]*news.Tag, error) {
	list, err := collect(ctx, db, db.scanTag, `SELECT `+tagCols+` FROM tags t
		WHERE t.id IN (SELECT value FROM json_each(?))`, idList(ids))
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
func (db *DB) FindAuthors(ctx context.Context, p news.Page) (*news.List[news.Author], error) {
	return findBySlug(ctx, db, db.scanAuthor, `SELECT `+authorCols+` FROM authors au`, "au.slug", p)
}

// FindTags implements news.Reader.
func (db *DB) FindTags(ctx context.Context, p news.Page) (*news.List[news.Tag], error) {
	return findBySlug(ctx, db, db.scanTag, `SELECT `+tagCols+` FROM tags t`, "t.slug", p)
}

// findBySlug pages through a table in slug order with keyset cursors.
func findBySlug[T any](ctx context.Context, db *DB, scan func(scanner) (*T, error), selectFrom, slugCol string, p news.Page) (*news.List[T], error) {
	q := selectFrom + ` WHERE 1`
	var args []any
	if p.After != nil {
		q += ` AND ` + slugCol + ` > ?`
		args = append(args, p.After.Slug)
	}
	if p.Before != nil {
		q += ` AND ` + slugCol + ` < ?`
		args = append(args, p.Before.Slug)
	}
	order := "ASC"
	if p.Backward {
		order = "DESC"
	}
	q += ` ORDER BY ` + slugCol + ` ` + order + ` LIMIT ?`
	args = append(args, p.Limit+1)
	items, err := collect(ctx, db, scan, q, args...)
	if err != nil {
		return nil, err
	}
	return news.PageOf(items, p), nil
}
