package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/newsdesk/newsdesk/internal/news"
)

// reader answers the read side of the store from one pool: the public one
// (the replica, when there is one) or, for editors' previews, the primary,
// which also sees drafts, scheduled and archived stories.
type reader struct {
	db      *DB
	pool    querier
	preview bool
}

// Preview implements news.Writer: editors read their own writes, so the
// preview reads the primary.
func (db *DB) Preview() news.Reader { return reader{db: db, pool: db.w, preview: true} }

// args collects the parameters of a statement being built: add appends one
// and returns its placeholder.
type args []any

func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// articleCols are the columns scanArticle reads, in order, from alias a.
const articleCols = `a.id, a.slug, a.status, a.published_at, a.category_id, a.title, a.excerpt,
	a.cover_url, a.cover_caption, a.cover_alt, a.cover_credit, a.cover_width, a.cover_height,
	a.word_count, a.reading_minutes, a.created_at, a.updated_at, a.body_text, a.body_html`

// summaryCols are articleCols with the bodies left unread (empty).
const summaryCols = `a.id, a.slug, a.status, a.published_at, a.category_id, a.title, a.excerpt,
	a.cover_url, a.cover_caption, a.cover_alt, a.cover_credit, a.cover_width, a.cover_height,
	a.word_count, a.reading_minutes, a.created_at, a.updated_at, '', ''`

// visibility returns the condition on alias a that decides which articles
// r sees: visible ones for the public, every one in a preview.
func (r reader) visibility(p *args) string {
	if r.preview {
		return `true`
	}
	return `a.status = 'published' AND a.published_at <= ` + p.add(r.db.nowMillis())
}

func (db *DB) scanArticle(s pgx.Row, extra ...any) (*news.Article, error) {
	var a news.Article
	var img news.Image
	var published *int64
	var created, updated int64
	var status string
	dest := []any{&a.ID, &a.Slug, &status, &published, &a.CategoryID, &a.Title, &a.Excerpt,
		&img.URL, &img.Caption, &img.Alt, &img.Credit, &img.Width, &img.Height,
		&a.WordCount, &a.ReadingMinutes, &created, &updated, &a.BodyText, &a.BodyHTML}
	if err := s.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	a.Status = news.Status(status)
	if img.URL != "" {
		a.Cover = &img
	}
	a.PublishedAt = db.timeOfNull(published)
	a.CreatedAt = db.timeOf(created)
	a.UpdatedAt = db.timeOf(updated)
	return &a, nil
}

func notFound(slug string) error {
	return news.Errorf(news.ENOTFOUND, "no article with slug %q", slug)
}

// ArticleBySlug implements news.Reader.
func (r reader) ArticleBySlug(ctx context.Context, slug string) (*news.Article, error) {
	p := args{slug}
	a, err := r.db.scanArticle(r.db.queryRow(ctx, r.pool, `SELECT `+articleCols+` FROM articles a WHERE a.slug = $1 AND `+r.visibility(&p), p...))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound(slug)
	}
	return a, err
}

// ArticleIDBySlug implements news.Reader: the slug index alone.
func (r reader) ArticleIDBySlug(ctx context.Context, slug string) (int64, error) {
	p := args{slug}
	var id int64
	err := r.db.queryRow(ctx, r.pool, `SELECT a.id FROM articles a WHERE a.slug = $1 AND `+r.visibility(&p), p...).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, notFound(slug)
	}
	return id, err
}

// authorIDsCol and tagIDsCol read an article's (alias a) author and tag
// ids, in byline and tag order; the authors and tags themselves come from
// the store's LinkCache.
const (
	authorIDsCol = `COALESCE((SELECT array_agg(l.author_id ORDER BY l.position) FROM article_authors l WHERE l.article_id = a.id), '{}')`
	tagIDsCol    = `COALESCE((SELECT array_agg(l.tag_id ORDER BY l.position) FROM article_tags l WHERE l.article_id = a.id), '{}')`
	linkIDCols   = authorIDsCol + `, ` + tagIDsCol
)

// ArticleViewBySlug implements news.Reader: one statement, and the
// authors and tags not in the link cache.
func (r reader) ArticleViewBySlug(ctx context.Context, slug string, parts news.ViewParts) (*news.ArticleView, error) {
	gen := r.db.gen.Load() // before the read, for the link cache
	p := args{slug}
	l := &news.LinkIDs{}
	a, err := r.db.scanArticle(r.db.queryRow(ctx, r.pool, `SELECT `+articleCols+`, `+linkIDCols+`
		FROM articles a WHERE a.slug = $1 AND `+r.visibility(&p), p...), &l.Authors, &l.Tags)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound(slug)
	}
	if err != nil {
		return nil, err
	}
	authors, tags, err := r.db.links.Resolve(ctx, gen, map[int64]*news.LinkIDs{a.ID: l}, parts, r.loadAuthors, r.loadTags)
	if err != nil {
		return nil, err
	}
	return &news.ArticleView{Article: a, Authors: authors[a.ID], Tags: tags[a.ID]}, nil
}

// ArticlesByID implements news.Reader.
func (r reader) ArticlesByID(ctx context.Context, ids []int64) (map[int64]*news.Article, error) {
	p := args{ids}
	rows, err := r.db.query(ctx, r.pool, `SELECT `+articleCols+` FROM articles a WHERE a.id = ANY($1) AND `+r.visibility(&p), p...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[int64]*news.Article, len(ids))
	for rows.Next() {
		a, err := r.db.scanArticle(rows)
		if err != nil {
			return nil, err
		}
		out[a.ID] = a
	}
	return out, rows.Err()
}

// articleList is the SQL of one article list: the driving table with the
// keyset columns it is ordered by, and its conditions.
type articleList struct {
	from  string
	key   string // publish time column
	id    string // article id column
	where []string
	args  args
}

// newArticleList picks the driving index for f, as the SQLite store does:
// the link table of the tag, author or category, else the public timeline;
// drafts and archived stories (previews only) by last change.
func (r reader) newArticleList(f news.ArticleFilter) (*articleList, error) {
	l := &articleList{}
	if err := news.CheckListStatus(f.Status, r.preview); err != nil {
		return nil, err
	}
	editorial := f.Status == news.ArticleDraft || f.Status == news.ArticleArchived
	driver := ""
	switch {
	case editorial:
	case f.Tag != "":
		driver = "tag"
		l.from = `article_tags l JOIN articles a ON a.id = l.article_id`
		l.where = append(l.where, `l.tag_id = (SELECT id FROM tags WHERE slug = `+l.args.add(f.Tag)+`)`)
	case f.Author != "":
		driver = "author"
		l.from = `article_authors l JOIN articles a ON a.id = l.article_id`
		l.where = append(l.where, `l.author_id = (SELECT id FROM authors WHERE slug = `+l.args.add(f.Author)+`)`)
	case f.Category != "":
		driver = "category"
		l.from = `article_categories l JOIN articles a ON a.id = l.article_id`
		l.where = append(l.where, `l.category_id = (SELECT id FROM categories WHERE slug = `+l.args.add(f.Category)+`)`)
	}
	switch {
	case editorial:
		l.from, l.key, l.id = `articles a`, `a.updated_at`, `a.id`
		stored := news.StatusDraft
		if f.Status == news.ArticleArchived {
			stored = news.StatusArchived
		}
		l.where = append(l.where, `a.status = '`+string(stored)+`'`)
	case driver == "":
		l.from, l.key, l.id = `articles a`, `a.published_at`, `a.id`
		l.where = append(l.where, `a.status = 'published'`)
	default:
		l.key, l.id = `l.pub_at`, `l.article_id`
	}
	switch f.Status {
	case news.ArticleScheduled:
		l.where = append(l.where, l.key+` > `+l.args.add(r.db.nowMillis()))
	case "", news.ArticlePublished:
		l.where = append(l.where, l.key+` <= `+l.args.add(r.db.nowMillis()))
	}
	if f.Tag != "" && driver != "tag" {
		l.where = append(l.where, `EXISTS (SELECT 1 FROM article_tags x
			WHERE x.article_id = a.id AND x.tag_id = (SELECT id FROM tags WHERE slug = `+l.args.add(f.Tag)+`))`)
	}
	if f.Author != "" && driver != "author" {
		l.where = append(l.where, `EXISTS (SELECT 1 FROM article_authors x
			WHERE x.article_id = a.id AND x.author_id = (SELECT id FROM authors WHERE slug = `+l.args.add(f.Author)+`))`)
	}
	if f.Category != "" && driver != "category" {
		l.where = append(l.where, `EXISTS (SELECT 1 FROM article_categories x
			WHERE x.category_id = (SELECT id FROM categories WHERE slug = `+l.args.add(f.Category)+`) AND x.article_id = a.id)`)
	}
	if !f.PublishedAfter.IsZero() {
		l.where = append(l.where, l.key+` >= `+l.args.add(f.PublishedAfter.UnixMilli()))
	}
	if !f.PublishedBefore.IsZero() {
		l.where = append(l.where, l.key+` < `+l.args.add(f.PublishedBefore.UnixMilli()))
	}
	return l, nil
}

// listQuery builds the SQL of one page of the list f describes.
func (r reader) listQuery(f news.ArticleFilter, p news.Page) (string, args, error) {
	l, err := r.newArticleList(f)
	if err != nil {
		return "", nil, err
	}
	where := l.where
	if p.After != nil {
		where = append(where, fmt.Sprintf(`(%s, %s) < (%s, %s)`, l.key, l.id, l.args.add(p.After.Time), l.args.add(p.After.ID)))
	}
	if p.Before != nil {
		where = append(where, fmt.Sprintf(`(%s, %s) > (%s, %s)`, l.key, l.id, l.args.add(p.Before.Time), l.args.add(p.Before.ID)))
	}
	order := "DESC"
	if p.Backward {
		order = "ASC"
	}
	cols := summaryCols
	if p.WithBody {
		cols = articleCols
	}
	return fmt.Sprintf(`SELECT %s FROM %s WHERE %s ORDER BY %s %s, %s %s LIMIT %s`,
		cols, l.from, strings.Join(where, " AND "), l.key, order, l.id, order, l.args.add(p.Limit+1)), l.args, nil
}

// FindArticles implements news.Reader with keyset pagination.
func (r reader) FindArticles(ctx context.Context, f news.ArticleFilter, p news.Page) (*news.List[news.Article], error) {
	q, a, err := r.listQuery(f, p)
	if err != nil {
		return nil, err
	}
	rows, err := r.db.query(ctx, r.pool, q, a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	items := make([]*news.Article, 0, p.Limit+1)
	for rows.Next() {
		a, err := r.db.scanArticle(rows)
		if err != nil {
			return nil, err
		}
		items = append(items, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return news.PageOf(items, p), nil
}

// CountArticles implements news.Reader.
func (r reader) CountArticles(ctx context.Context, f news.ArticleFilter) (int, error) {
	l, err := r.newArticleList(f)
	if err != nil {
		return 0, err
	}
	var n int
	err = r.db.queryRow(ctx, r.pool, `SELECT count(*) FROM `+l.from+` WHERE `+strings.Join(l.where, " AND "), l.args...).Scan(&n)
	return n, err
}

// MaxArticleID implements news.Reader.
func (r reader) MaxArticleID(ctx context.Context) (int64, error) {
	var id int64
	err := r.db.queryRow(ctx, r.pool, `SELECT COALESCE(MAX(id), 0) FROM articles`).Scan(&id)
	return id, err
}

const stubCols = `a.id, a.slug, a.title, a.published_at, a.updated_at`

func (db *DB) scanStub(s pgx.Row) (*news.ArticleStub, error) {
	var st news.ArticleStub
	var pub, upd int64
	if err := s.Scan(&st.ID, &st.Slug, &st.Title, &pub, &upd); err != nil {
		return nil, err
	}
	st.PublishedAt, st.UpdatedAt = db.timeOf(pub), db.timeOf(upd)
	return &st, nil
}

// ArticleStubsByID implements news.Reader.
func (r reader) ArticleStubsByID(ctx context.Context, from, to int64) ([]*news.ArticleStub, error) {
	return collect(ctx, r, r.db.scanStub, `SELECT `+stubCols+` FROM articles a
		WHERE a.id BETWEEN $1 AND $2 AND a.status = 'published' AND a.published_at <= $3 ORDER BY a.id`,
		from, to, r.db.nowMillis())
}

// RecentArticleStubs implements news.Reader.
func (r reader) RecentArticleStubs(ctx context.Context, since time.Time, limit int) ([]*news.ArticleStub, error) {
	return collect(ctx, r, r.db.scanStub, `SELECT `+stubCols+` FROM articles a
		WHERE a.status = 'published' AND a.published_at >= $1 AND a.published_at <= $2
		ORDER BY a.published_at DESC, a.id DESC LIMIT $3`, since.UnixMilli(), r.db.nowMillis(), limit)
}

// collect runs a read query on r's pool and scans every row with scan.
func collect[T any](ctx context.Context, r reader, scan func(pgx.Row) (*T, error), sql string, a ...any) ([]*T, error) {
	rows, err := r.db.query(ctx, r.pool, sql, a...)
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
