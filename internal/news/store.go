package news

import (
	"context"
	"time"
)

// Reader is the public read side of a store. Every article it returns is
// visible (published, publish time passed) at the time of the call; drafts,
// archived and scheduled stories are never returned.
type Reader interface {
	// ArticleBySlug returns the visible article with the slug, or a
	// NOT_FOUND error.
	ArticleBySlug(ctx context.Context, slug string) (*Article, error)
	// ArticlesByID returns the visible articles among ids, keyed by id;
	// unknown or invisible ids are absent from the map.
	ArticlesByID(ctx context.Context, ids []int64) (map[int64]*Article, error)
	// FindArticles returns one page of visible articles, newest first.
	FindArticles(ctx context.Context, f ArticleFilter, p Page) (*List[Article], error)
	// CountArticles counts the visible articles that match f.
	CountArticles(ctx context.Context, f ArticleFilter) (int, error)
	// RelatedArticleIDs returns up to limit ids of visible articles related
	// to the article id ("Tin khác"), best first, never id itself.
	RelatedArticleIDs(ctx context.Context, id int64, limit int) ([]int64, error)

	// AuthorsOfArticles returns each article's authors in byline order; every
	// id in ids has an entry, empty when it has none.
	AuthorsOfArticles(ctx context.Context, ids []int64) (map[int64][]*Author, error)
	// TagsOfArticles returns each article's tags by name; every id in ids has
	// an entry, empty when it has none.
	TagsOfArticles(ctx context.Context, ids []int64) (map[int64][]*Tag, error)

	// Categories returns every category, parents before children, siblings
	// by position.
	Categories(ctx context.Context) ([]*Category, error)
	// AuthorBySlug and TagBySlug return NOT_FOUND for an unknown slug.
	AuthorBySlug(ctx context.Context, slug string) (*Author, error)
	TagBySlug(ctx context.Context, slug string) (*Tag, error)
	// AuthorsByID and TagsByID return the known ones among ids, keyed by id.
	AuthorsByID(ctx context.Context, ids []int64) (map[int64]*Author, error)
	TagsByID(ctx context.Context, ids []int64) (map[int64]*Tag, error)
	// FindAuthors and FindTags page through all authors or tags by slug.
	FindAuthors(ctx context.Context, p Page) (*List[Author], error)
	FindTags(ctx context.Context, p Page) (*List[Tag], error)
}

// Writer is the write side of a store. Each method validates its input with
// Prepare, writes in one transaction, and fills in ids and times.
type Writer interface {
	CreateCategory(ctx context.Context, c *Category) error
	CreateAuthor(ctx context.Context, a *Author) error
	CreateTag(ctx context.Context, t *Tag) error
	// CreateArticle stores a; a slug derived from the title is made unique
	// with -2, -3…; an explicit slug already taken is a CONFLICT error.
	CreateArticle(ctx context.Context, a *Article) error
}

// Store is a complete newsdesk store.
type Store interface {
	Reader
	Writer
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
