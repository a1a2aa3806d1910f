package news

import (
	"encoding/base64"
	"math"
	"strconv"
	"strings"
	"time"
)

// Page size bounds, as GitHub's GraphQL API has them.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// Cursor is a keyset position in a list. Article lists are ordered by
// (publish time, id), newest first; author and tag lists by slug; search
// results by search key, or by (score, search key). Cursors are opaque to
// clients: String encodes one and ParseCursor reads it back.
type Cursor struct {
	Time  int64 // Unix milliseconds
	ID    int64
	Slug  string
	Key   int64   // search key
	Score float64 // relevance, with Key and Time: the clock it was scored at
}

// String encodes c as an opaque, URL-safe token.
func (c Cursor) String() string {
	var raw string
	switch {
	case c.Slug != "":
		raw = "s:" + c.Slug
	case c.Key != 0:
		raw = "k:" + strconv.FormatFloat(c.Score, 'g', -1, 64) + ":" + strconv.FormatInt(c.Key, 10) + ":" + strconv.FormatInt(c.Time, 10)
	default:
		raw = "t:" + strconv.FormatInt(c.Time, 10) + ":" + strconv.FormatInt(c.ID, 10)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// ParseCursor decodes a token made by Cursor.String. Anything else is a
// BAD_USER_INPUT error naming field.
func ParseCursor(field, s string) (Cursor, error) {
	bad := Invalid(field, "invalid cursor")
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(raw) < 3 || len(raw) > 200 {
		return Cursor{}, bad
	}
	kind, rest, _ := strings.Cut(string(raw), ":")
	switch kind {
	case "s":
		if rest == "" {
			return Cursor{}, bad
		}
		return Cursor{Slug: rest}, nil
	case "k":
		parts := strings.Split(rest, ":")
		if len(parts) != 3 {
			return Cursor{}, bad
		}
		sc, err1 := strconv.ParseFloat(parts[0], 64)
		k, err2 := strconv.ParseInt(parts[1], 10, 64)
		t, err3 := strconv.ParseInt(parts[2], 10, 64)
		if err1 != nil || err2 != nil || err3 != nil || k == 0 || math.IsNaN(sc) || math.IsInf(sc, 0) {
			return Cursor{}, bad
		}
		return Cursor{Key: k, Score: sc, Time: t}, nil
	case "t":
		ts, ids, ok := strings.Cut(rest, ":")
		if !ok {
			return Cursor{}, bad
		}
		t, err1 := strconv.ParseInt(ts, 10, 64)
		id, err2 := strconv.ParseInt(ids, 10, 64)
		if err1 != nil || err2 != nil || id <= 0 {
			return Cursor{}, bad
		}
		return Cursor{Time: t, ID: id}, nil
	}
	return Cursor{}, bad
}

// ArticleCursor is the keyset position of a in article lists.
func ArticleCursor(a *Article) Cursor {
	return Cursor{Time: a.PublishedAt.UnixMilli(), ID: a.ID}
}

// PageArgs are a client's Relay pagination arguments, unchecked.
type PageArgs struct {
	First  *int
	After  *string
	Last   *int
	Before *string
}

// Page is a checked request for one page of a keyset-ordered list.
// Forward pages (first/after) read after the After cursor in list order;
// backward pages (last/before) read the items just before Before.
type Page struct {
	Limit    int
	Backward bool
	After    *Cursor
	Before   *Cursor
	// WithBody reads each article's body (HTML and text) too; lists leave
	// it out unless asked, since bodies are most of a row's bytes.
	WithBody bool
}

// Page checks the arguments: first and last are 1..MaxPageSize (default
// DefaultPageSize, first), not both; cursors must be ones this server made.
func (p PageArgs) Page() (Page, error) {
	var pg Page
	switch {
	case p.First != nil && p.Last != nil:
		return pg, Invalid("first", "use first or last, not both")
	case p.First != nil:
		if *p.First < 1 || *p.First > MaxPageSize {
			return pg, Invalid("first", "must be between 1 and %d, got %d", MaxPageSize, *p.First)
		}
		pg.Limit = *p.First
	case p.Last != nil:
		if *p.Last < 1 || *p.Last > MaxPageSize {
			return pg, Invalid("last", "must be between 1 and %d, got %d", MaxPageSize, *p.Last)
		}
		pg.Limit = *p.Last
		pg.Backward = true
	default:
		pg.Limit = DefaultPageSize
	}
	if p.After != nil {
		c, err := ParseCursor("after", *p.After)
		if err != nil {
			return pg, err
		}
		pg.After = &c
	}
	if p.Before != nil {
		c, err := ParseCursor("before", *p.Before)
		if err != nil {
			return pg, err
		}
		pg.Before = &c
	}
	return pg, nil
}

// List is one page of a keyset-ordered list.
type List[T any] struct {
	Items []*T
	// HasNext reports items after the page in list order; HasPrevious items
	// before it. The side the client came from (after a cursor, or before
	// one) is reported as true without a look: the cursor's own item is there.
	HasNext     bool
	HasPrevious bool
}

// ArticleFilter narrows an article list. Empty fields do not filter.
type ArticleFilter struct {
	Category string // slug; includes its sub-categories
	Tag      string // slug
	Author   string // slug
	// PublishedAfter is inclusive, PublishedBefore exclusive, so ranges tile.
	// On drafts and archived articles they bound the last change instead.
	PublishedAfter  time.Time
	PublishedBefore time.Time
	// Status lists articles in that status, through a Preview reader only
	// (a public reader refuses anything but published). Drafts and archived
	// articles are listed by last change, newest first.
	Status ArticleStatus
}

// Cursor returns a's keyset position in the lists f describes.
func (f ArticleFilter) Cursor(a *Article) Cursor {
	if f.Status == ArticleDraft || f.Status == ArticleArchived {
		return Cursor{Time: a.UpdatedAt.UnixMilli(), ID: a.ID}
	}
	return ArticleCursor(a)
}
