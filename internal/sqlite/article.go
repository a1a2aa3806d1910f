package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cespare/xxhash/v2"
	"github.com/newsdesk/newsdesk/internal/news"
)

// summaryCols are the columns of an article but its bodies: what lists
// read unless asked for more.
const summaryCols = `a.id, a.slug, a.status, a.published_at, a.category_id, a.title, a.excerpt,
	a.cover_url, a.cover_caption, a.cover_alt, a.cover_credit, a.cover_width, a.cover_height,
	a.word_count, a.reading_minutes, a.created_at, a.updated_at`

// articleCols are the columns scanArticle reads, in order, from alias a.
const articleCols = summaryCols + `, a.body_text, a.body_html`

// visible is the public visibility rule on alias a; its one argument is now.
const visible = `a.status = 'published' AND a.published_at <= ?`

// visibility returns the condition on alias a that decides which articles a
// read sees, with its arguments appended to args: visible for the public,
// everything for a preview.
func (db *DB) visibility(preview bool, args []any) (string, []any) {
	if preview {
		return `1`, args
	}
	return visible, append(args, db.nowMillis())
}

// previewReader is the editors' reader: the store's, seeing every article
// in lookups and lists with a status filter.
type previewReader struct{ *DB }

// Preview implements news.Writer.
func (db *DB) Preview() news.Reader { return previewReader{db} }

func (p previewReader) ArticleBySlug(ctx context.Context, slug string) (*news.Article, error) {
	return p.articleBySlug(ctx, slug, true)
}

func (p previewReader) ArticleIDBySlug(ctx context.Context, slug string) (int64, error) {
	return p.articleIDBySlug(ctx, slug, true)
}

func (p previewReader) ArticleViewBySlug(ctx context.Context, slug string, parts news.ViewParts) (*news.ArticleView, error) {
	return p.articleViewBySlug(ctx, slug, parts, true)
}

func (p previewReader) ArticlesByID(ctx context.Context, ids []int64) (map[int64]*news.Article, error) {
	return p.articlesByID(ctx, ids, true)
}

func (p previewReader) FindArticles(ctx context.Context, f news.ArticleFilter, pg news.Page) (*news.List[news.Article], error) {
	return p.findArticles(ctx, f, pg, true)
}

func (p previewReader) CountArticles(ctx context.Context, f news.ArticleFilter) (int, error) {
	return p.countArticles(ctx, f, true)
}

type scanner interface{ Scan(dest ...any) error }

func (db *DB) scanArticle(s scanner) (*news.Article, error) { return db.scanColumns(s, true) }

// scanColumns reads summaryCols, and articleCols when bodies is set. A
// column costs a list of 20 more than its bytes: the driver makes three
// calls into SQLite for it, each taking the connection's mutex.
func (db *DB) scanColumns(s scanner, bodies bool) (*news.Article, error) {
	var a news.Article
	var img news.Image
	var published sql.NullInt64
	var created, updated int64
	dest := []any{&a.ID, &a.Slug, &a.Status, &published, &a.CategoryID, &a.Title, &a.Excerpt,
		&img.URL, &img.Caption, &img.Alt, &img.Credit, &img.Width, &img.Height,
		&a.WordCount, &a.ReadingMinutes, &created, &updated, &a.BodyText, &a.BodyHTML}
	if !bodies {
		dest = dest[:len(dest)-2]
	}
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	if img.URL != "" {
		a.Cover = &img
	}
	if published.Valid {
		a.PublishedAt = db.timeOf(published.Int64)
	}
	a.CreatedAt = db.timeOf(created)
	a.UpdatedAt = db.timeOf(updated)
	return &a, nil
}

// ArticleBySlug implements news.Reader.
func (db *DB) ArticleBySlug(ctx context.Context, slug string) (*news.Article, error) {
	return db.articleBySlug(ctx, slug, false)
}

func (db *DB) articleBySlug(ctx context.Context, slug string, preview bool) (*news.Article, error) {
	a, _, _, err := db.articleWithLinks(ctx, slug, preview)
	return a, err
}

// articleWithLinks reads the article with the slug and its link ids, and
// the generation it read them as of: from the article cache when it holds
// it (the visibility rule checked here), else the row, which the cache
// keeps.
func (db *DB) articleWithLinks(ctx context.Context, slug string, preview bool) (*news.Article, *news.LinkIDs, uint64, error) {
	gen := db.gen.Load() // before the read, for the caches
	if a, l, ok := db.articles.BySlug(gen, slug); ok {
		if !preview && a.StatusAt(db.now()) != news.ArticlePublished {
			return nil, nil, 0, notFoundSlug(slug)
		}
		return a, l, gen, nil
	}
	vis, args := db.visibility(preview, []any{slug})
	row, err := db.queryRow(ctx, articleViewSQL+vis, args...)
	if err != nil {
		return nil, nil, 0, err
	}
	l := &news.LinkIDs{}
	a, err := db.scanArticle(withLinkIDs{row, l})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, 0, notFoundSlug(slug)
	}
	if err != nil {
		return nil, nil, 0, err
	}
	db.articles.Put(gen, a, l, true)
	return a, l, gen, nil
}

func notFoundSlug(slug string) error {
	return news.Errorf(news.ENOTFOUND, "no article with slug %q", slug)
}

// ArticleIDBySlug implements news.Reader: the slug index alone.
func (db *DB) ArticleIDBySlug(ctx context.Context, slug string) (int64, error) {
	return db.articleIDBySlug(ctx, slug, false)
}

// articleIDSQL reads an article's id by slug; the visibility rule follows.
const articleIDSQL = `SELECT a.id FROM articles a WHERE a.slug = ? AND `

func (db *DB) articleIDBySlug(ctx context.Context, slug string, preview bool) (int64, error) {
	vis, args := db.visibility(preview, []any{slug})
	row, err := db.queryRow(ctx, articleIDSQL+vis, args...)
	if err != nil {
		return 0, err
	}
	var id int64
	err = row.Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, notFoundSlug(slug)
	}
	return id, err
}

// linkIDCols are an article's (alias a) author and tag ids, in byline and
// tag order, comma-separated (migration 007); the authors and tags
// themselves come from the store's LinkCache.
const linkIDCols = `a.author_ids, a.tag_ids`

// articleViewSQL reads an article with its link ids; the visibility rule
// follows.
const articleViewSQL = `SELECT ` + articleCols + `, ` + linkIDCols + ` FROM articles a WHERE a.slug = ? AND `

// ArticleViewBySlug implements news.Reader.
func (db *DB) ArticleViewBySlug(ctx context.Context, slug string, parts news.ViewParts) (*news.ArticleView, error) {
	return db.articleViewBySlug(ctx, slug, parts, false)
}

func (db *DB) articleViewBySlug(ctx context.Context, slug string, parts news.ViewParts, preview bool) (*news.ArticleView, error) {
	a, l, gen, err := db.articleWithLinks(ctx, slug, preview)
	if err != nil {
		return nil, err
	}
	authors, tags, err := db.links.Resolve(ctx, gen, map[int64]*news.LinkIDs{a.ID: l}, parts, db.loadAuthors, db.loadTags)
	if err != nil {
		return nil, err
	}
	return &news.ArticleView{Article: a, Authors: authors[a.ID], Tags: tags[a.ID]}, nil
}

// commaIDs scans a link id column (linkIDCols: ids comma-separated, as
// joinIDs and group_concat write them; NULL for none) into the []int64 it
// points to.
type commaIDs []int64

func (c *commaIDs) Scan(v any) error {
	var list string
	switch v := v.(type) {
	case nil:
	case string:
		list = v
	case []byte:
		list = string(v)
	default:
		return fmt.Errorf("link ids: unexpected %T", v)
	}
	*c = nil
	if list == "" {
		return nil
	}
	*c = make([]int64, 0, strings.Count(list, ",")+1)
	for f := range strings.SplitSeq(list, ",") {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			*c = append(*c, id)
		}
	}
	return nil
}

// withLinkIDs scans an article's columns followed by its link ids
// (linkIDCols) into l.
type withLinkIDs struct {
	s scanner
	l *news.LinkIDs
}

func (w withLinkIDs) Scan(dest ...any) error {
	return w.s.Scan(append(dest, (*commaIDs)(&w.l.Authors), (*commaIDs)(&w.l.Tags))...)
}

// idList encodes ids as a JSON array: one bound parameter, read back with
// json_each, so that a batch of any size is one prepared statement.
func idList(ids []int64) string {
	b, _ := json.Marshal(ids) // []int64 always marshals
	return string(b)
}

// ArticlesByID implements news.Reader.
func (db *DB) ArticlesByID(ctx context.Context, ids []int64) (map[int64]*news.Article, error) {
	return db.articlesByID(ctx, ids, false)
}

// The link ids come along for the link cache, as in lists: related lists
// and search hits are read by id, then shown with their authors and tags.
// The article cache answers for those it holds (the visibility rule
// checked here), one statement for the rest.
func (db *DB) articlesByID(ctx context.Context, ids []int64, preview bool) (map[int64]*news.Article, error) {
	gen := db.gen.Load() // before the read, for the caches
	now := db.now()
	out := make(map[int64]*news.Article, len(ids))
	links := make(map[int64]*news.LinkIDs, len(ids))
	var missing []int64
	for _, id := range ids {
		a, l, ok := db.articles.Get(gen, id, true)
		switch {
		case !ok:
			missing = append(missing, id)
		case preview || a.StatusAt(now) == news.ArticlePublished:
			out[id], links[id] = a, l
		}
	}
	if len(missing) > 0 {
		// The rest, with their bodies, as the visibility rule (or a
		// preview) lets them through, kept in the article cache.
		vis, args := db.visibility(preview, []any{idList(missing)})
		rows, err := db.query(ctx, `SELECT `+articleCols+`, `+linkIDCols+` FROM articles a
			WHERE a.id IN (SELECT value FROM json_each(?)) AND `+vis, args...)
		if err != nil {
			return nil, err
		}
		err = db.keepRows(rows, gen, true, func(a *news.Article, l *news.LinkIDs) {
			out[a.ID], links[a.ID] = a, l
		})
		if err != nil {
			return nil, err
		}
	}
	db.links.Remember(gen, links)
	return out, nil
}

// keepRows scans rows of articles (summaryCols, or articleCols with
// bodies, then linkIDCols) to the end, keeps each in the article cache for
// generation gen (loaded before the read) and gives it to add.
func (db *DB) keepRows(rows *sql.Rows, gen uint64, bodies bool, add func(*news.Article, *news.LinkIDs)) error {
	defer rows.Close()
	for rows.Next() {
		l := &news.LinkIDs{}
		a, err := db.scanColumns(withLinkIDs{rows, l}, bodies)
		if err != nil {
			return err
		}
		db.articles.Put(gen, a, l, bodies)
		add(a, l)
	}
	return rows.Err()
}

// cachedPage reads a page's ids and keys (idsSQL) and takes its articles
// from the article cache, reporting false if one is not kept as the index
// has it.
func (db *DB) cachedPage(ctx context.Context, gen uint64, f news.ArticleFilter, p news.Page, preview bool, idsSQL string, args []any) ([]*news.Article, map[int64]*news.LinkIDs, bool, error) {
	rows, err := db.query(ctx, idsSQL, args...)
	if err != nil {
		return nil, nil, false, err
	}
	defer rows.Close()
	now := db.now()
	items := make([]*news.Article, 0, p.Limit+1)
	links := make(map[int64]*news.LinkIDs, p.Limit+1)
	for rows.Next() {
		var id, key int64
		if err := rows.Scan(&id, &key); err != nil {
			return nil, nil, false, err
		}
		a, l, ok := db.articles.Get(gen, id, p.WithBody)
		if !ok || f.Cursor(a).Time != key || !preview && a.StatusAt(now) != news.ArticlePublished {
			return nil, nil, false, nil
		}
		items = append(items, a)
		links[id] = l
	}
	return items, links, true, rows.Err()
}

// articleList is the SQL of one article list: the driving table with the
// keyset columns it is ordered by, and its conditions.
type articleList struct {
	// table is the driving table alone, enough for the page's ids (a list
	// whose rows the article cache holds); from joins the articles to it.
	table string
	from  string
	key   string // publish time column
	id    string // article id column
	where []string
	args  []any
	// Every condition on the (key, id) order (visibility, dates, cursors)
	// is folded into one bound at each end, so that a list is one range of
	// its index whatever the planner's statistics say. Given "key <= now"
	// and a cursor as two conditions, the planner took whichever its
	// samples made look narrower: without them (sqlite_stat4), a deep page
	// scanned every newer row down to the cursor.
	upper, lower *keyBound
}

// keyBound is one end of a list's range, exclusive: rows whose (key, id)
// is below an upper bound, above a lower one.
type keyBound struct{ key, id int64 }

func (b keyBound) less(c keyBound) bool { return b.key < c.key || b.key == c.key && b.id < c.id }

// below keeps the rows with (key, id) < (key, id) given.
func (l *articleList) below(key, id int64) {
	if b := (keyBound{key, id}); l.upper == nil || b.less(*l.upper) {
		l.upper = &b
	}
}

// above keeps the rows with (key, id) > (key, id) given.
func (l *articleList) above(key, id int64) {
	if b := (keyBound{key, id}); l.lower == nil || l.lower.less(b) {
		l.lower = &b
	}
}

// conditions are the list's WHERE conditions and their arguments, its
// bounds included.
func (l *articleList) conditions() ([]string, []any) {
	where, args := slices.Clone(l.where), slices.Clone(l.args)
	if l.upper != nil {
		where = append(where, fmt.Sprintf(`(%s, %s) < (?, ?)`, l.key, l.id))
		args = append(args, l.upper.key, l.upper.id)
	}
	if l.lower != nil {
		where = append(where, fmt.Sprintf(`(%s, %s) > (?, ?)`, l.key, l.id))
		args = append(args, l.lower.key, l.lower.id)
	}
	return where, args
}

// newArticleList picks the driving index for f: the most selective of tag,
// author and category (each has a link table ordered by publish time), else
// the public timeline. The other filters become EXISTS probes on primary keys.
// Drafts and archived stories (previews only) are listed from the articles
// table by last change. A public reader asking for any other status than
// published is refused.
func (db *DB) newArticleList(f news.ArticleFilter, preview bool) (*articleList, error) {
	l := &articleList{}
	driver := ""
	if err := news.CheckListStatus(f.Status, preview); err != nil {
		return nil, err
	}
	editorial := f.Status == news.ArticleDraft || f.Status == news.ArticleArchived
	switch {
	case editorial:
	case f.Tag != "":
		driver = "tag"
		l.table = `article_tags l`
		l.where = append(l.where, `l.tag_id = (SELECT id FROM tags WHERE slug = ?)`)
		l.args = append(l.args, f.Tag)
	case f.Author != "":
		driver = "author"
		l.table = `article_authors l`
		l.where = append(l.where, `l.author_id = (SELECT id FROM authors WHERE slug = ?)`)
		l.args = append(l.args, f.Author)
	case f.Category != "":
		driver = "category"
		l.table = `article_categories l`
		l.where = append(l.where, `l.category_id = (SELECT id FROM categories WHERE slug = ?)`)
		l.args = append(l.args, f.Category)
	}
	switch {
	case editorial:
		l.table, l.key, l.id = `articles a`, `a.updated_at`, `a.id`
		// A literal, not a parameter, so that the planner can prove the
		// partial index (articles_drafts, articles_archived) applies.
		stored := news.StatusDraft
		if f.Status == news.ArticleArchived {
			stored = news.StatusArchived
		}
		l.where = append(l.where, `a.status = '`+string(stored)+`'`)
	case driver == "":
		l.table, l.key, l.id = `articles a`, `a.published_at`, `a.id`
		l.where = append(l.where, `a.status = 'published'`)
	default:
		// pub_at is NULL unless the article is published.
		l.key, l.id = `l.pub_at`, `l.article_id`
	}
	l.from = l.table
	if driver != "" {
		l.from += ` JOIN articles a ON a.id = l.article_id`
	}
	// Ids are positive: (t, MaxInt64) lies after every row at t, (t,
	// MinInt64) before.
	switch f.Status {
	case news.ArticleScheduled:
		l.above(db.nowMillis(), math.MaxInt64) // key > now
	case "", news.ArticlePublished:
		l.below(db.nowMillis(), math.MaxInt64) // key <= now
	}

	if f.Tag != "" && driver != "tag" {
		l.where = append(l.where, `EXISTS (SELECT 1 FROM article_tags x
			WHERE x.article_id = `+l.id+` AND x.tag_id = (SELECT id FROM tags WHERE slug = ?))`)
		l.args = append(l.args, f.Tag)
	}
	if f.Author != "" && driver != "author" {
		l.where = append(l.where, `EXISTS (SELECT 1 FROM article_authors x
			WHERE x.article_id = `+l.id+` AND x.author_id = (SELECT id FROM authors WHERE slug = ?))`)
		l.args = append(l.args, f.Author)
	}
	if f.Category != "" && driver != "category" {
		l.where = append(l.where, `EXISTS (SELECT 1 FROM article_categories x
			WHERE x.category_id = (SELECT id FROM categories WHERE slug = ?) AND x.article_id = `+l.id+`)`)
		l.args = append(l.args, f.Category)
	}
	if !f.PublishedAfter.IsZero() {
		l.above(f.PublishedAfter.UnixMilli(), math.MinInt64) // key >= after
	}
	if !f.PublishedBefore.IsZero() {
		l.below(f.PublishedBefore.UnixMilli(), math.MinInt64) // key < before
	}
	return l, nil
}

// listQuery builds the SQL of one page of the list f describes: the query
// of its rows, and the query of their ids and keys alone (both take args).
func (db *DB) listQuery(f news.ArticleFilter, p news.Page, preview bool) (rowsSQL, idsSQL string, args []any, err error) {
	l, err := db.newArticleList(f, preview)
	if err != nil {
		return "", "", nil, err
	}
	// The list runs newest first: "after" a cursor is older, "before" newer.
	if p.After != nil {
		l.below(p.After.Time, p.After.ID)
	}
	if p.Before != nil {
		l.above(p.Before.Time, p.Before.ID)
	}
	where, args := l.conditions()
	order := "DESC"
	if p.Backward {
		order = "ASC"
	}
	cols := summaryCols
	if p.WithBody {
		cols = articleCols
	}
	tail := fmt.Sprintf(`WHERE %s ORDER BY %s %s, %s %s LIMIT ?`, strings.Join(where, " AND "), l.key, order, l.id, order)
	// The link ids come along for the link cache (stored after the bodies,
	// they cost a list next to nothing; reading them apart cost as much as
	// the list).
	rowsSQL = fmt.Sprintf(`SELECT %s, %s FROM %s %s`, cols, linkIDCols, l.from, tail)
	idsSQL = fmt.Sprintf(`SELECT %s, %s FROM %s %s`, l.id, l.key, l.table, tail)
	return rowsSQL, idsSQL, append(args, p.Limit+1), nil
}

// FindArticles implements news.Reader with keyset pagination: no OFFSET, each
// page one ordered index range scan.
func (db *DB) FindArticles(ctx context.Context, f news.ArticleFilter, p news.Page) (*news.List[news.Article], error) {
	return db.findArticles(ctx, f, p, false)
}

// listKey hashes what names one page of a list (not the clock) for the
// article cache's Listed.
func listKey(f news.ArticleFilter, p news.Page, preview bool) uint64 {
	var b []byte
	for _, s := range []string{f.Category, f.Tag, f.Author, string(f.Status)} {
		b = append(strconv.AppendInt(b, int64(len(s)), 10), ':')
		b = append(b, s...)
	}
	for _, c := range []*news.Cursor{p.After, p.Before} {
		if c == nil {
			b = append(b, '-')
			continue
		}
		b = strconv.AppendInt(append(b, '+'), c.Time, 10)
		b = strconv.AppendInt(append(b, ','), c.ID, 10)
	}
	for _, n := range []int64{millis0(f.PublishedAfter), millis0(f.PublishedBefore), int64(p.Limit)} {
		b = strconv.AppendInt(append(b, ','), n, 10)
	}
	b = strconv.AppendBool(append(b, ','), p.Backward)
	b = strconv.AppendBool(append(b, ','), p.WithBody)
	b = strconv.AppendBool(append(b, ','), preview)
	return xxhash.Sum64(b)
}

// millis0 is t in Unix milliseconds, 0 for the zero time.
func millis0(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// findArticles reads the page's ids alone (with their keys) when the page
// was read before in the generation, and is done if the article cache
// holds every one as the index has it: at the same key, and visible to
// the public when the reader is. Otherwise (and first in a generation) it
// reads the rows, which the cache keeps. The check against the index keeps
// a read that began before a write (its generation loaded, its ids read
// after the commit) from showing a draft or a moved story the cache kept.
func (db *DB) findArticles(ctx context.Context, f news.ArticleFilter, p news.Page, preview bool) (*news.List[news.Article], error) {
	rowsSQL, idsSQL, args, err := db.listQuery(f, p, preview)
	if err != nil {
		return nil, err
	}
	gen := db.gen.Load() // before the read, for the caches
	if db.articles.Listed(gen, listKey(f, p, preview)) {
		items, links, ok, err := db.cachedPage(ctx, gen, f, p, preview, idsSQL, args)
		if err != nil {
			return nil, err
		}
		if ok {
			db.links.Remember(gen, links)
			return news.PageOf(items, p), nil
		}
	}
	rows, err := db.query(ctx, rowsSQL, args...)
	if err != nil {
		return nil, err
	}
	items := make([]*news.Article, 0, p.Limit+1)
	links := make(map[int64]*news.LinkIDs, p.Limit+1)
	err = db.keepRows(rows, gen, p.WithBody, func(a *news.Article, l *news.LinkIDs) {
		items = append(items, a)
		links[a.ID] = l
	})
	if err != nil {
		return nil, err
	}
	db.links.Remember(gen, links)
	return news.PageOf(items, p), nil
}

// CountArticles implements news.Reader.
func (db *DB) CountArticles(ctx context.Context, f news.ArticleFilter) (int, error) {
	return db.countArticles(ctx, f, false)
}

func (db *DB) countArticles(ctx context.Context, f news.ArticleFilter, preview bool) (int, error) {
	l, err := db.newArticleList(f, preview)
	if err != nil {
		return 0, err
	}
	where, args := l.conditions()
	row, err := db.queryRow(ctx, `SELECT count(*) FROM `+l.from+` WHERE `+strings.Join(where, " AND "), args...)
	if err != nil {
		return 0, err
	}
	var n int
	return n, row.Scan(&n)
}

// MaxArticleID implements news.Reader.
func (db *DB) MaxArticleID(ctx context.Context) (int64, error) {
	row, err := db.queryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM articles`)
	if err != nil {
		return 0, err
	}
	var id int64
	return id, row.Scan(&id)
}

// stubsByIDSQL and recentStubSQL read sitemap entries: hot columns only.
// A page by id walks the primary key (NOT INDEXED keeps the planner off the
// timeline index, which would sort the page).
const (
	stubCols      = `a.id, a.slug, a.title, a.published_at, a.updated_at`
	stubsByIDSQL  = `SELECT ` + stubCols + ` FROM articles a NOT INDEXED WHERE a.id BETWEEN ? AND ? AND ` + visible + ` ORDER BY a.id`
	recentStubSQL = `SELECT ` + stubCols + ` FROM articles a WHERE a.status = 'published' AND a.published_at >= ? AND a.published_at <= ?
		ORDER BY a.published_at DESC, a.id DESC LIMIT ?`
)

func (db *DB) scanStub(s scanner) (*news.ArticleStub, error) {
	var st news.ArticleStub
	var pub, upd int64
	if err := s.Scan(&st.ID, &st.Slug, &st.Title, &pub, &upd); err != nil {
		return nil, err
	}
	st.PublishedAt, st.UpdatedAt = db.timeOf(pub), db.timeOf(upd)
	return &st, nil
}

// ArticleStubsByID implements news.Reader.
func (db *DB) ArticleStubsByID(ctx context.Context, from, to int64) ([]*news.ArticleStub, error) {
	return collect(ctx, db, db.scanStub, stubsByIDSQL, from, to, db.nowMillis())
}

// RecentArticleStubs implements news.Reader.
func (db *DB) RecentArticleStubs(ctx context.Context, since time.Time, limit int) ([]*news.ArticleStub, error) {
	return collect(ctx, db, db.scanStub, recentStubSQL, since.UnixMilli(), db.nowMillis(), limit)
}
