package news

import (
	"time"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/vntext"
)

// Author is a byline.
type Author struct {
	ID        int64
	Slug      string
	Name      string
	Bio       string
	AvatarURL string
	CreatedAt time.Time
}

// Category is a section of the site. Categories form a tree: ParentID is 0
// for a top-level category, and Position orders siblings.
type Category struct {
	ID          int64
	Slug        string
	Name        string
	Description string
	ParentID    int64
	Position    int
	CreatedAt   time.Time
}

// Tag is a keyword that groups stories across categories.
type Tag struct {
	ID        int64
	Slug      string
	Name      string
	CreatedAt time.Time
}

// prepareName cleans a plain-text name and checks it is neither blank nor
// too long.
func prepareName(field string, name *string) error {
	*name = vntext.Clean(*name)
	switch {
	case *name == "":
		return Invalid(field, "must not be blank")
	case utf8.RuneCountInString(*name) > MaxNameLen:
		return Invalid(field, "must be at most %d characters", MaxNameLen)
	}
	return nil
}

// prepareNamed cleans a name and makes or checks the slug derived from it.
func prepareNamed(name, slug *string) error {
	if err := prepareName("name", name); err != nil {
		return err
	}
	if *slug == "" {
		*slug = vntext.Slugify(*name)
		if *slug == "" {
			return Invalid("name", "must contain a letter or digit")
		}
	} else if !vntext.IsSlug(*slug) {
		return Invalid("slug", "must be lowercase a-z, 0-9 and single hyphens, at most %d bytes", vntext.MaxSlugLen)
	}
	return nil
}

func prepareText(field string, s *string) error {
	*s = vntext.NFC(*s)
	if utf8.RuneCountInString(*s) > MaxTextLen {
		return Invalid(field, "must be at most %d characters", MaxTextLen)
	}
	return nil
}

// Prepare validates a for writing and derives its slug from the name when
// none is set.
func (a *Author) Prepare() error {
	if err := prepareNamed(&a.Name, &a.Slug); err != nil {
		return err
	}
	if a.AvatarURL != "" && !IsWebURL(a.AvatarURL) {
		return Invalid("avatarUrl", "must be an absolute http(s) URL")
	}
	return prepareText("bio", &a.Bio)
}

// Prepare validates c for writing and derives its slug from the name when
// none is set.
func (c *Category) Prepare() error {
	if err := prepareNamed(&c.Name, &c.Slug); err != nil {
		return err
	}
	if c.ParentID < 0 || (c.ID != 0 && c.ParentID == c.ID) {
		return Invalid("parent", "must be another category")
	}
	return prepareText("description", &c.Description)
}

// Prepare validates t for writing and derives its slug from the name when
// none is set.
func (t *Tag) Prepare() error {
	return prepareNamed(&t.Name, &t.Slug)
}
