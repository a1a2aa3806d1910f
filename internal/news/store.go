package news

import (
	"context"
	"reflect"
	"time"
)

// SharedTypes are the types whose values a Reader returns shared with its
// caches, never to be changed: articles, bylines, tags and categories. A
// cache of what is rendered from them (contenthash.Cache) may hash each
// value once, by pointer.
func SharedTypes() []reflect.Type {
	return []reflect.Type{reflect.TypeFor[Article](), reflect.TypeFor[Author](), reflect.TypeFor[Tag](), reflect.TypeFor[Category]()}
}

// Reader is the public read side of a store. Every article it returns is
// visible (published, publish time passed) at the time of the call; drafts,
// archived and scheduled stories are never returned. What it returns may be
// shared with the store's caches (ArticleCache, LinkCache): callers must
// not change it.
type Reader interface {
	// ArticleBySlug returns the visible article with the slug, or a
	// NOT_FOUND error.
	ArticleBySlug(ctx context.Context, slug string) (*Article, error)
	// ArticleIDBySlug returns only the id of the visible article with the
	// slug, or NOT_FOUND: what counting a view or listing related stories
	// needs, without reading the article.
	ArticleIDBySlug(ctx context.Context, slug string) (int64, error)
	// ArticleViewBySlug is ArticleBySlug with the authors and tags parts
	// asks for: the link ids read in the same statement (an article page's
	// one round trip), the records from the store's caches. The view's
	// Category is left nil (ViewBySlug sets it).
	ArticleViewBySlug(ctx context.Context, slug string, parts ViewParts) (*ArticleView, error)
	// ArticlesByID returns the visible articles among ids, keyed by id;
	// unknown or invisible ids are absent from the map.
	ArticlesByID(ctx context.Context, ids []int64) (map[int64]*Article, error)
	// FindArticles returns one page of visible articles, newest first; their
	// bodies are empty unless p.WithBody.
	FindArticles(ctx context.Context, f ArticleFilter, p Page) (*List[Article], error)
	// CountArticles counts the visible articles that match f.
	CountArticles(ctx context.Context, f ArticleFilter) (int, error)
	// RelatedArticleIDs returns up to limit ids of visible articles related
	// to the article id ("Tin khác"), best first, never id itself.
	RelatedArticleIDs(ctx context.Context, id int64, limit int) ([]int64, error)

	// LinksOfArticles returns the kinds of links parts asks for: each
	// article's authors in byline order, its tags in the order it gives
	// them; every id in ids has an entry, empty when it has none, and a
	// kind not asked for is nil. It reads the articles' link ids and the
	// records a store has not cached: at most a statement each, none when
	// all are cached.
	LinksOfArticles(ctx context.Context, ids []int64, parts ViewParts) (map[int64][]*Author, map[int64][]*Tag, error)

	// Categories returns every category, parents before children, siblings
	// by position.
	Categories(ctx context.Context) ([]*Category, error)
	// CategoryTree returns the same categories indexed, built once per
	// store generation (callers must not change it).
	CategoryTree(ctx context.Context) (*CategoryTree, error)
	// AuthorBySlug and TagBySlug return NOT_FOUND for an unknown slug.
	AuthorBySlug(ctx context.Context, slug string) (*Author, error)
	TagBySlug(ctx context.Context, slug string) (*Tag, error)
	// AuthorsByID and TagsByID return the known ones among ids, keyed by id.
	AuthorsByID(ctx context.Context, ids []int64) (map[int64]*Author, error)
	TagsByID(ctx context.Context, ids []int64) (map[int64]*Tag, error)
	// FindAuthors and FindTags page through all authors or tags by slug.
	FindAuthors(ctx context.Context, p Page) (*List[Author], error)
	FindTags(ctx context.Context, p Page) (*List[Tag], error)

	// MaxArticleID returns the highest article id, 0 for none: sitemaps
	// split the site into pages by id range.
	MaxArticleID(ctx context.Context) (int64, error)
	// ArticleStubsByID returns the visible articles with from <= id <= to,
	// by id, without their text.
	ArticleStubsByID(ctx context.Context, from, to int64) ([]*ArticleStub, error)
	// RecentArticleStubs returns up to limit visible articles published at
	// or after since, newest first, without their text.
	RecentArticleStubs(ctx context.Context, since time.Time, limit int) ([]*ArticleStub, error)
}

// ArticleStub is what a sitemap needs of an article.
type ArticleStub struct {
	ID          int64
	Slug        string
	Title       string
	PublishedAt time.Time
	UpdatedAt   time.Time
}

// Writer is the editorial side of a store: every write, and the reads only
// editors make. Each write validates its input with Prepare, runs in one
// transaction (search index and related lists included), and returns what
// it stored.
type Writer interface {
	// Preview returns a Reader that also sees drafts, scheduled and archived
	// articles: in lookups by slug or id, and in lists with a Status filter.
	Preview() Reader

	// CreateArticle stores a new draft from u (title, category and authors
	// required). A slug derived from the title is made unique with -2,
	// -3…; an explicit slug already taken is a CONFLICT error.
	CreateArticle(ctx context.Context, u ArticleUpdate) (*Article, error)
	// UpdateArticle applies u to the article id if it is still at the
	// version expected (its UpdatedAt), else it is a CONFLICT error and
	// nothing changes. The version replaced is kept as a revision.
	UpdateArticle(ctx context.Context, id int64, expected time.Time, u ArticleUpdate) (*Article, error)
	// PublishArticle publishes the article id at at, or when zero at its
	// own publish time if it has one, else now; a time in the future
	// schedules it. A non-zero expected is checked as by UpdateArticle.
	PublishArticle(ctx context.Context, id int64, at, expected time.Time) (*Article, error)
	// UnpublishArticle turns the article id back into a draft.
	UnpublishArticle(ctx context.Context, id int64, expected time.Time) (*Article, error)
	// ArchiveArticle takes the article id off the site, keeping it.
	ArchiveArticle(ctx context.Context, id int64, expected time.Time) (*Article, error)
	// PinRelated replaces the stories pinned first in the article's
	// related list (at most MaxPinned; none unpins).
	PinRelated(ctx context.Context, id int64, related []int64) (*Article, error)
	// Revisions lists the saved versions of the article id, newest first.
	Revisions(ctx context.Context, id int64) ([]*Revision, error)
	// ImportArticle stores a complete article as given (status, times and
	// links included): demo content and imports.
	ImportArticle(ctx context.Context, a *Article) error

	CreateCategory(ctx context.Context, c *Category) error
	// UpdateCategory applies u; moving a category under one of its own
	// descendants is a BAD_USER_INPUT error.
	UpdateCategory(ctx context.Context, id int64, u CategoryUpdate) (*Category, error)
	CreateAuthor(ctx context.Context, a *Author) error
	UpdateAuthor(ctx context.Context, id int64, u AuthorUpdate) (*Author, error)
	CreateTag(ctx context.Context, t *Tag) error
}

// Store is a complete newsdesk store.
type Store interface {
	Reader
	Writer
	KeyStore
	WebhookStore
	ViewStore
	QueryStore
}

// Clock returns the current time; stores take one so that tests can move
// time past a scheduled publish.
type Clock func() time.Time

// DefaultZone is the site time zone newsdesk uses unless configured
// otherwise: Vietnam's.
var DefaultZone = mustZone("Asia/Ho_Chi_Minh")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// PoolStats describes one of a store's connection pools, for monitoring.
type PoolStats struct {
	Open     int           // connections open
	InUse    int           // connections in use
	Waits    int64         // times a caller waited for a free connection
	WaitTime time.Duration // total time callers waited
}
