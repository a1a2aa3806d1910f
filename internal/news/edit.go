package news

import (
	"time"

	"github.com/newsdesk/newsdesk/internal/vntext"
)

// ArticleStatus is an article's status as the API reports it at a moment:
// its stored Status, with a published article whose time has not come
// reported as scheduled.
type ArticleStatus string

// Article statuses as the API reports them.
const (
	ArticleDraft     ArticleStatus = "DRAFT"
	ArticleScheduled ArticleStatus = "SCHEDULED"
	ArticlePublished ArticleStatus = "PUBLISHED"
	ArticleArchived  ArticleStatus = "ARCHIVED"
)

// StatusAt returns a's status as seen at now.
func (a *Article) StatusAt(now time.Time) ArticleStatus {
	switch a.Status {
	case StatusPublished:
		if a.PublishedAt.After(now) {
			return ArticleScheduled
		}
		return ArticlePublished
	case StatusArchived:
		return ArticleArchived
	}
	return ArticleDraft
}

// Revision is a saved earlier version of an article: every change an editor
// makes keeps the version it replaces.
type Revision struct {
	ArticleID int64
	// Number counts an article's revisions from 1, oldest first.
	Number int
	// Action is the change that replaced this version: "update",
	// "publish", "unpublish" or "archive".
	Action string
	// Editor is the name of the key that made that change.
	Editor string
	// SavedAt is when this version was replaced.
	SavedAt time.Time
	// Article is the version as it was, with AuthorIDs and TagIDs.
	Article *Article
}

// ArticleUpdate is an editor's change to an article: nil fields keep their
// value. CreateArticle takes one too, with Title, Category and Authors
// required.
type ArticleUpdate struct {
	Title    *string
	Excerpt  *string
	BodyHTML *string
	// Slug changes the article's address; left nil, a new article's slug
	// comes from its title and an existing one's never changes.
	Slug *string
	// Category is a category slug.
	Category *string
	// Authors are author slugs in byline order; nil keeps the bylines.
	Authors []string
	// Tags are tag slugs or names; unknown ones are created. Nil keeps the
	// tags, empty removes them.
	Tags []string
	// Cover replaces the cover photo; RemoveCover removes it.
	Cover       *Image
	RemoveCover bool
	// PublishedAt sets the publish time: in the future, publishing
	// schedules the article.
	PublishedAt *time.Time
}

// Apply copies u's own values onto a. The references (category, authors,
// tags) name other records: the store resolves them.
func (u *ArticleUpdate) Apply(a *Article) {
	set(&a.Title, u.Title)
	set(&a.Excerpt, u.Excerpt)
	set(&a.BodyHTML, u.BodyHTML)
	set(&a.Slug, u.Slug)
	set(&a.PublishedAt, u.PublishedAt)
	if u.RemoveCover {
		a.Cover = nil
	}
	if u.Cover != nil {
		img := *u.Cover
		a.Cover = &img
	}
}

// TagSlug returns the slug a tag given by slug or name is stored under, and
// its cleaned name: a slug is its own slug, so either finds the tag.
func TagSlug(ref string) (slug, name string, err error) {
	name = vntext.Clean(ref)
	slug = vntext.Slugify(name)
	if slug == "" {
		return "", "", Invalid("tags", "%q is not a tag name", ref)
	}
	return slug, name, nil
}

// CategoryUpdate changes a category: nil fields keep their value.
type CategoryUpdate struct {
	Name        *string
	Slug        *string
	Description *string
	// Parent is the slug of the new parent; "" makes it top-level.
	Parent   *string
	Position *int
}

// Apply copies u's own values onto c; the store resolves Parent.
func (u *CategoryUpdate) Apply(c *Category) {
	set(&c.Name, u.Name)
	set(&c.Slug, u.Slug)
	set(&c.Description, u.Description)
	set(&c.Position, u.Position)
}

// AuthorUpdate changes an author: nil fields keep their value.
type AuthorUpdate struct {
	Name      *string
	Slug      *string
	Bio       *string
	AvatarURL *string
}

// Apply copies u's values onto a.
func (u *AuthorUpdate) Apply(a *Author) {
	set(&a.Name, u.Name)
	set(&a.Slug, u.Slug)
	set(&a.Bio, u.Bio)
	set(&a.AvatarURL, u.AvatarURL)
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// MaxPinned bounds how many stories an editor may pin under an article.
const MaxPinned = 20

// CheckExpected is the rule that keeps two editors from overwriting each
// other: a change made from a version other than the stored one (by its
// update time, to the millisecond) is a CONFLICT. A zero expected skips
// the check.
func CheckExpected(a *Article, expected time.Time) error {
	if expected.IsZero() || expected.UnixMilli() == a.UpdatedAt.UnixMilli() {
		return nil
	}
	return &Error{Code: ECONFLICT, Field: "expectedUpdatedAt", Message: "expectedUpdatedAt: the article was changed at " +
		a.UpdatedAt.Format(time.RFC3339Nano) + " since the version you edited; reload it and apply your change again"}
}
