package rest

import (
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// The JSON shapes. Field names are camelCase as in GraphQL; absent values
// are null, never missing, so that shapes stay stable.

// Image is a picture with its caption.
type Image struct {
	URL     string `json:"url"`
	Caption string `json:"caption"`
	Alt     string `json:"alt"`
	Credit  string `json:"credit"`
	Width   int    `json:"width"`
	Height  int    `json:"height"`
}

// AuthorRef is a byline on an article.
type AuthorRef struct {
	Slug      string  `json:"slug"`
	Name      string  `json:"name"`
	AvatarURL *string `json:"avatarUrl"`
}

// Ref names a category or tag.
type Ref struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// Article is an article: in lists a summary (BodyHTML and BodyText nil, and
// left out), on its own page in full.
type Article struct {
	ID             string      `json:"id"`
	Slug           string      `json:"slug"`
	Title          string      `json:"title"`
	Excerpt        string      `json:"excerpt"`
	BodyHTML       *string     `json:"bodyHtml,omitempty"`
	BodyText       *string     `json:"bodyText,omitempty"`
	CoverImage     *Image      `json:"coverImage"`
	Authors        []AuthorRef `json:"authors"`
	Category       *Ref        `json:"category"`
	Tags           []Ref       `json:"tags"`
	Status         string      `json:"status"`
	PublishedAt    *time.Time  `json:"publishedAt"`
	UpdatedAt      time.Time   `json:"updatedAt"`
	WordCount      int         `json:"wordCount"`
	ReadingMinutes int         `json:"readingMinutes"`
}

// articleFields are the names ?fields= may pick, each with how it puts
// its value in a picked article.
var articleFields = map[string]func(p *picked, a *Article){
	"id":             func(p *picked, a *Article) { p.ID = &a.ID },
	"slug":           func(p *picked, a *Article) { p.Slug = &a.Slug },
	"title":          func(p *picked, a *Article) { p.Title = &a.Title },
	"excerpt":        func(p *picked, a *Article) { p.Excerpt = &a.Excerpt },
	"bodyHtml":       func(p *picked, a *Article) { p.BodyHTML = &a.BodyHTML },
	"bodyText":       func(p *picked, a *Article) { p.BodyText = &a.BodyText },
	"coverImage":     func(p *picked, a *Article) { p.CoverImage = &a.CoverImage },
	"authors":        func(p *picked, a *Article) { p.Authors = &a.Authors },
	"category":       func(p *picked, a *Article) { p.Category = &a.Category },
	"tags":           func(p *picked, a *Article) { p.Tags = &a.Tags },
	"status":         func(p *picked, a *Article) { p.Status = &a.Status },
	"publishedAt":    func(p *picked, a *Article) { p.PublishedAt = &a.PublishedAt },
	"updatedAt":      func(p *picked, a *Article) { p.UpdatedAt = &a.UpdatedAt },
	"wordCount":      func(p *picked, a *Article) { p.WordCount = &a.WordCount },
	"readingMinutes": func(p *picked, a *Article) { p.ReadingMinutes = &a.ReadingMinutes },
}

func avatar(a *news.Author) *string {
	if a.AvatarURL == "" {
		return nil
	}
	return &a.AvatarURL
}

// articleOf shapes an article; full includes the body.
func articleOf(v *news.ArticleView, now time.Time, full bool) *Article {
	a := v.Article
	out := &Article{
		ID: news.NodeID(news.KindArticle, a.ID), Slug: a.Slug, Title: a.Title, Excerpt: a.Excerpt,
		Authors: make([]AuthorRef, len(v.Authors)), Tags: make([]Ref, len(v.Tags)),
		Status: string(a.StatusAt(now)), UpdatedAt: a.UpdatedAt,
		WordCount: a.WordCount, ReadingMinutes: a.ReadingMinutes,
	}
	if full {
		out.BodyHTML, out.BodyText = &a.BodyHTML, &a.BodyText
	}
	if a.Cover != nil {
		c := Image(*a.Cover)
		out.CoverImage = &c
	}
	for i, au := range v.Authors {
		out.Authors[i] = AuthorRef{Slug: au.Slug, Name: au.Name, AvatarURL: avatar(au)}
	}
	for i, t := range v.Tags {
		out.Tags[i] = Ref{Slug: t.Slug, Name: t.Name}
	}
	if v.Category != nil {
		out.Category = &Ref{Slug: v.Category.Slug, Name: v.Category.Name}
	}
	if !a.PublishedAt.IsZero() {
		out.PublishedAt = &a.PublishedAt
	}
	return out
}

// fieldSet is a client's ?fields= choice; nil means the default shape.
type fieldSet []string

// parseFields reads ?fields=a,b,c against articleFields. The id and slug
// always come, so that a client can always tell items apart.
func parseFields(raw string) (fieldSet, error) {
	if raw == "" {
		return nil, nil
	}
	out := fieldSet{"id", "slug"}
	for _, f := range strings.Split(raw, ",") {
		f = strings.TrimSpace(f)
		if articleFields[f] == nil {
			return nil, news.Invalid("fields", "unknown field %q", truncate(f, 40))
		}
		if !out.has(f) {
			out = append(out, f)
		}
	}
	return out, nil
}

// has reports whether the set includes name; the default shape has every
// field but the body.
func (fs fieldSet) has(name string) bool {
	if fs == nil {
		return name != "bodyHtml" && name != "bodyText"
	}
	for _, f := range fs {
		if f == name {
			return true
		}
	}
	return false
}

// withBody reports whether the chosen fields show the body.
func (fs fieldSet) withBody() bool { return fs.has("bodyHtml") || fs.has("bodyText") }

// article shapes a list's article as the fields chose it, as of now.
func (fs fieldSet) article(v *news.ArticleView, now time.Time) any {
	return fs.pick(articleOf(v, now, fs.withBody()))
}

// parts says which links the chosen fields show.
func (fs fieldSet) parts() news.ViewParts {
	return news.ViewParts{Authors: fs.has("authors"), Tags: fs.has("tags")}
}

// pick cuts a down to the chosen fields; nil keeps them all.
func (fs fieldSet) pick(a *Article) any {
	if fs == nil {
		return a
	}
	p := &picked{}
	for _, f := range fs {
		articleFields[f](p, a)
	}
	return p
}

// picked is an Article with the fields a client chose (?fields=): a field
// not chosen is nil and left out; a chosen one points at the article's
// value, so it is there even when that value is null. encoding/json
// writes it directly (a marshal, parse and re-marshal through a map
// cost more than the rest of the answer).
type picked struct {
	ID             *string      `json:"id,omitempty"`
	Slug           *string      `json:"slug,omitempty"`
	Title          *string      `json:"title,omitempty"`
	Excerpt        *string      `json:"excerpt,omitempty"`
	BodyHTML       **string     `json:"bodyHtml,omitempty"`
	BodyText       **string     `json:"bodyText,omitempty"`
	CoverImage     **Image      `json:"coverImage,omitempty"`
	Authors        *[]AuthorRef `json:"authors,omitempty"`
	Category       **Ref        `json:"category,omitempty"`
	Tags           *[]Ref       `json:"tags,omitempty"`
	Status         *string      `json:"status,omitempty"`
	PublishedAt    **time.Time  `json:"publishedAt,omitempty"`
	UpdatedAt      *time.Time   `json:"updatedAt,omitempty"`
	WordCount      *int         `json:"wordCount,omitempty"`
	ReadingMinutes *int         `json:"readingMinutes,omitempty"`
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// Category is a section with its place in the tree.
type Category struct {
	ID          string     `json:"id"`
	Slug        string     `json:"slug"`
	Name        string     `json:"name"`
	Description string     `json:"description"`
	Position    int        `json:"position"`
	Parent      *Ref       `json:"parent"`
	Children    []Category `json:"children"`
}

// categoryOf shapes c with its whole subtree.
func categoryOf(tree *news.CategoryTree, c *news.Category) Category {
	out := Category{
		ID: news.NodeID(news.KindCategory, c.ID), Slug: c.Slug, Name: c.Name,
		Description: c.Description, Position: c.Position, Children: []Category{},
	}
	if p := tree.ByID(c.ParentID); p != nil {
		out.Parent = &Ref{Slug: p.Slug, Name: p.Name}
	}
	for _, ch := range tree.Children(c.ID) {
		out.Children = append(out.Children, categoryOf(tree, ch))
	}
	return out
}

// Author is a byline's profile.
type Author struct {
	ID        string  `json:"id"`
	Slug      string  `json:"slug"`
	Name      string  `json:"name"`
	Bio       string  `json:"bio"`
	AvatarURL *string `json:"avatarUrl"`
}

// Tag is a keyword.
type Tag struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// List is a page of a list; NextCursor is absent on the last page.
type List struct {
	Items      []any  `json:"items"`
	NextCursor string `json:"nextCursor,omitempty"`
}

// SearchHit is one search result.
type SearchHit struct {
	Article   any       `json:"article"`
	Score     float64   `json:"score"`
	Highlight Highlight `json:"highlight"`
}

// Highlight holds HTML with the matched words in <mark>, the rest escaped.
type Highlight struct {
	Title   string `json:"title"`
	Snippet string `json:"snippet"`
}
