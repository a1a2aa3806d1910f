package news

import (
	"net/url"
	"time"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/richtext"
	"github.com/newsdesk/newsdesk/internal/vntext"
)

// Status is an article's editorial state. A published article whose
// PublishedAt is still in the future is scheduled: invisible to the public
// until then, with no job needed to reveal it.
type Status string

// Statuses an article can be stored in.
const (
	StatusDraft     Status = "draft"
	StatusPublished Status = "published"
	StatusArchived  Status = "archived"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	switch s {
	case StatusDraft, StatusPublished, StatusArchived:
		return true
	}
	return false
}

// Field length limits, in runes.
const (
	MaxTitleLen   = 300
	MaxExcerptLen = 2000
	MaxBodyLen    = 1 << 20 // bytes of HTML
	MaxNameLen    = 200
	MaxTextLen    = 5000 // descriptions, bios, captions
	MaxURLLen     = 2000
)

// Image is a picture with its caption, as a cover photo or an avatar.
type Image struct {
	URL     string
	Caption string
	Alt     string
	Credit  string
	Width   int
	Height  int
}

// Article is a news story.
type Article struct {
	ID       int64
	Slug     string
	Title    string
	Excerpt  string // the lead ("sapo")
	BodyHTML string // sanitised on write
	BodyText string // derived from BodyHTML
	Cover    *Image // nil when the story has no cover photo

	Status      Status
	PublishedAt time.Time // zero for a draft never published
	CreatedAt   time.Time
	UpdatedAt   time.Time

	CategoryID     int64
	WordCount      int
	ReadingMinutes int

	// AuthorIDs (in byline order) and TagIDs are what a write links the
	// article to. Reads leave them nil: authors and tags are loaded apart.
	AuthorIDs []int64
	TagIDs    []int64
}

// Prepare validates a for writing and derives what is stored beside it: NFC
// text, a slug from the title when none is set, the sanitised body, its
// plain text, word count and reading time.
func (a *Article) Prepare() error {
	a.Title = vntext.Clean(a.Title)
	a.Excerpt = vntext.Clean(a.Excerpt)
	a.Slug = vntext.NFC(a.Slug)
	if a.Status == "" {
		a.Status = StatusDraft
	}
	switch {
	case a.Title == "":
		return Invalid("title", "must not be blank")
	case utf8.RuneCountInString(a.Title) > MaxTitleLen:
		return Invalid("title", "must be at most %d characters", MaxTitleLen)
	case utf8.RuneCountInString(a.Excerpt) > MaxExcerptLen:
		return Invalid("excerpt", "must be at most %d characters", MaxExcerptLen)
	case len(a.BodyHTML) > MaxBodyLen:
		return Invalid("bodyHtml", "must be at most %d bytes", MaxBodyLen)
	case !a.Status.Valid():
		return Invalid("status", "unknown status %q", a.Status)
	case a.Status == StatusPublished && a.PublishedAt.IsZero():
		return Invalid("publishedAt", "a published article needs a publish time")
	case a.CategoryID <= 0:
		return Invalid("category", "is required")
	case len(a.AuthorIDs) == 0:
		return Invalid("authors", "at least one author is required")
	}
	if a.Slug == "" {
		a.Slug = vntext.Slugify(a.Title)
		if a.Slug == "" {
			return Invalid("title", "must contain a letter or digit")
		}
	} else if !vntext.IsSlug(a.Slug) {
		return Invalid("slug", "must be lowercase a-z, 0-9 and single hyphens, at most %d bytes", vntext.MaxSlugLen)
	}
	if a.Cover != nil {
		if err := a.Cover.prepare("coverImage"); err != nil {
			return err
		}
	}
	a.BodyHTML = richtext.Sanitize(vntext.NFC(a.BodyHTML))
	a.BodyText = richtext.PlainText(a.BodyHTML)
	a.WordCount = vntext.CountWords(a.Title + " " + a.Excerpt + " " + a.BodyText)
	a.ReadingMinutes = richtext.ReadingMinutes(a.WordCount)
	return nil
}

func (img *Image) prepare(field string) error {
	img.Caption = vntext.Clean(img.Caption)
	img.Alt = vntext.Clean(img.Alt)
	img.Credit = vntext.Clean(img.Credit)
	switch {
	case !IsWebURL(img.URL):
		return Invalid(field+".url", "must be an absolute http(s) URL")
	case utf8.RuneCountInString(img.Caption) > MaxTextLen:
		return Invalid(field+".caption", "must be at most %d characters", MaxTextLen)
	case utf8.RuneCountInString(img.Alt) > MaxTextLen:
		return Invalid(field+".alt", "must be at most %d characters", MaxTextLen)
	case utf8.RuneCountInString(img.Credit) > MaxNameLen:
		return Invalid(field+".credit", "must be at most %d characters", MaxNameLen)
	case img.Width < 0 || img.Height < 0 || img.Width > 100000 || img.Height > 100000:
		return Invalid(field, "width and height must be between 0 and 100000")
	}
	return nil
}

// IsWebURL reports whether s is an absolute http or https URL of sane length.
func IsWebURL(s string) bool {
	if s == "" || len(s) > MaxURLLen {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
