// Package demo holds newsdesk's demo content (a Hải Phòng city portal built
// around the sample page in shared/content) and a generator of synthetic
// corpora for load tests. Both write through the store, never around it.
package demo

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

//go:embed content.json
var contentJSON []byte

// Content is the demo data set as stored in content.json. Categories,
// authors and tags carry their slugs; articles refer to them by slug and get
// their own slugs from their titles.
type Content struct {
	Categories []struct {
		Slug, Name, Description, Parent string
		Position                        int
	}
	Authors []struct {
		Slug, Name, Bio string
		AvatarURL       string `json:"avatarUrl"`
	}
	Tags []struct {
		Slug, Name string
	}
	Articles []Article
}

// Article is one demo story.
type Article struct {
	Title, Excerpt string
	BodyHTML       string `json:"bodyHtml"`
	Category       string
	Authors, Tags  []string
	Status         news.Status
	PublishedAt    string `json:"publishedAt"`
	Cover          *news.Image
}

// Load parses the embedded demo content.
func Load() (*Content, error) {
	var c Content
	if err := json.Unmarshal(contentJSON, &c); err != nil {
		return nil, fmt.Errorf("demo content: %w", err)
	}
	return &c, nil
}

// demoDay is when the demo's drafts were written.
var demoDay = time.Date(2026, 11, 25, 8, 0, 0, 0, news.DefaultZone)

// Seed writes the demo content through w. It stops at the first error, which
// names the item at fault.
func Seed(ctx context.Context, w news.Writer) error {
	c, err := Load()
	if err != nil {
		return err
	}
	return c.write(ctx, w)
}

// write stores c through w: categories (parents first, as content.json
// lists them), authors, tags, then articles.
func (c *Content) write(ctx context.Context, w news.Writer) (err error) {
	categories := map[string]int64{}
	for _, dc := range c.Categories {
		cat := &news.Category{Slug: dc.Slug, Name: dc.Name, Description: dc.Description, Position: dc.Position}
		if dc.Parent != "" {
			cat.ParentID = categories[dc.Parent]
		}
		if err := w.CreateCategory(ctx, cat); err != nil {
			return fmt.Errorf("demo category %s: %w", dc.Slug, err)
		}
		categories[cat.Slug] = cat.ID
	}
	authors := map[string]int64{}
	for _, da := range c.Authors {
		a := &news.Author{Slug: da.Slug, Name: da.Name, Bio: da.Bio, AvatarURL: da.AvatarURL}
		if err := w.CreateAuthor(ctx, a); err != nil {
			return fmt.Errorf("demo author %s: %w", da.Slug, err)
		}
		authors[a.Slug] = a.ID
	}
	tags := map[string]int64{}
	for _, dt := range c.Tags {
		t := &news.Tag{Slug: dt.Slug, Name: dt.Name}
		if err := w.CreateTag(ctx, t); err != nil {
			return fmt.Errorf("demo tag %s: %w", dt.Slug, err)
		}
		tags[t.Slug] = t.ID
	}
	for _, da := range c.Articles {
		a := &news.Article{
			Title: da.Title, Excerpt: da.Excerpt, BodyHTML: da.BodyHTML, Status: da.Status,
			Cover: da.Cover, CategoryID: categories[da.Category],
		}
		if da.PublishedAt != "" {
			if a.PublishedAt, err = time.Parse(time.RFC3339, da.PublishedAt); err != nil {
				return fmt.Errorf("demo article %q: %w", da.Title, err)
			}
		}
		// Fixed times, so that the demo reads the same on every machine
		// (feeds' golden files depend on it): written when published, or
		// on the demo's own day.
		a.CreatedAt = demoDay
		if !a.PublishedAt.IsZero() && a.PublishedAt.Before(demoDay) {
			a.CreatedAt = a.PublishedAt
		}
		a.UpdatedAt = a.CreatedAt
		for _, s := range da.Authors {
			a.AuthorIDs = append(a.AuthorIDs, authors[s])
		}
		for _, s := range da.Tags {
			a.TagIDs = append(a.TagIDs, tags[s])
		}
		if err := w.ImportArticle(ctx, a); err != nil {
			return fmt.Errorf("demo article %q: %w", da.Title, err)
		}
	}
	return nil
}

// SeedIfEmpty seeds the demo content when the store has no category yet,
// and reports whether it did.
func SeedIfEmpty(ctx context.Context, s news.Store) (bool, error) {
	cats, err := s.Categories(ctx)
	if err != nil || len(cats) > 0 {
		return false, err
	}
	return true, Seed(ctx, s)
}
