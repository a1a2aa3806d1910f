package graph

import (
	"context"
	"time"

	"github.com/newsdesk/newsdesk/graph/model"
	"github.com/newsdesk/newsdesk/internal/news"
)

// parseID reads a global id that must be of kind; field names the argument
// for the error.
func parseID(kind news.Kind, field, id string) (int64, error) {
	k, n, err := news.ParseNodeID(id)
	if err != nil || k != kind {
		return 0, news.Invalid(field, "not an %s id: %q", kind, id)
	}
	return n, nil
}

// editorArticleID checks the request may edit articles and reads the
// article id argument.
func (r *Resolver) editorArticleID(ctx context.Context, id string) (int64, error) {
	if err := news.Require(ctx, news.RoleEditor); err != nil {
		return 0, err
	}
	return parseID(news.KindArticle, "id", id)
}

// articlePayload answers an article write with the article as stored, its
// links included: r.articlePayload(ctx)(r.Writer.CreateArticle(ctx, u)).
func (r *Resolver) articlePayload(ctx context.Context) func(*news.Article, error) (*model.ArticlePayload, error) {
	return func(a *news.Article, err error) (*model.ArticlePayload, error) {
		if err != nil {
			return nil, err
		}
		v, err := r.view(ctx, a, news.ViewParts{Authors: true, Tags: true})
		if err != nil {
			return nil, err
		}
		return &model.ArticlePayload{Article: v}, nil
	}
}

// imageOf converts an image input; nil stays nil.
func imageOf(in *model.ImageInput) *news.Image {
	if in == nil {
		return nil
	}
	return &news.Image{
		URL: in.URL, Caption: deref(in.Caption), Alt: deref(in.Alt), Credit: deref(in.Credit),
		Width: deref(in.Width), Height: deref(in.Height),
	}
}

func revisionOf(rev *news.Revision) *model.ArticleRevision {
	a := rev.Article
	out := &model.ArticleRevision{
		Number: rev.Number, Action: rev.Action, Editor: rev.Editor, SavedAt: rev.SavedAt,
		Status: a.StatusAt(rev.SavedAt), Slug: a.Slug, Title: a.Title, Excerpt: a.Excerpt,
		BodyHTML: a.BodyHTML, CoverImage: a.Cover,
	}
	if !a.PublishedAt.IsZero() {
		out.PublishedAt = &a.PublishedAt
	}
	return out
}

// deref returns *p, or the zero value for nil.
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func timeOrZero(t *time.Time) time.Time { return deref(t) }
