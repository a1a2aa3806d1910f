package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/newsdesk/newsdesk/graph/model"
	"github.com/newsdesk/newsdesk/internal/loader"
	"github.com/newsdesk/newsdesk/internal/news"
)

// pageInfo builds Relay page information from a list and its cursors.
func pageInfo[T any](l *news.List[T], cursor func(*T) news.Cursor) *model.PageInfo {
	pi := &model.PageInfo{HasNextPage: l.HasNext, HasPreviousPage: l.HasPrevious}
	if n := len(l.Items); n > 0 {
		start, end := cursor(l.Items[0]).String(), cursor(l.Items[n-1]).String()
		pi.StartCursor, pi.EndCursor = &start, &end
	}
	return pi
}

// findPage checks the pagination arguments, reads one page with find, and
// returns its items with their cursors and the page information.
func findPage[T any](ctx context.Context, args news.PageArgs, find func(context.Context, news.Page) (*news.List[T], error), cursor func(*T) news.Cursor) ([]*T, []string, *model.PageInfo, error) {
	p, err := args.Page()
	if err != nil {
		return nil, nil, nil, err
	}
	l, err := find(ctx, p)
	if err != nil {
		return nil, nil, nil, err
	}
	cursors := make([]string, len(l.Items))
	for i, v := range l.Items {
		cursors[i] = cursor(v).String()
	}
	return l.Items, cursors, pageInfo(l, cursor), nil
}

// articleConnection reads one page of articles matching f.
func (r *Resolver) articleConnection(ctx context.Context, args news.PageArgs, f *news.ArticleFilter) (*model.ArticleConnection, error) {
	var filter news.ArticleFilter
	if f != nil {
		filter = *f
	}
	if filter.Status != "" && filter.Status != news.ArticlePublished {
		if err := news.Require(ctx, news.RoleEditor); err != nil {
			return nil, err
		}
	}
	fields := articleFieldsRequested(ctx)
	items, cursors, pi, err := findPage(ctx, args, func(ctx context.Context, p news.Page) (*news.List[news.Article], error) {
		p.WithBody = fields["bodyHtml"] || fields["bodyText"]
		return r.reader(ctx).FindArticles(ctx, filter, p)
	}, filter.Cursor)
	if err != nil {
		return nil, err
	}
	list, err := r.batchedViews(ctx, items, news.ViewParts{Authors: fields["authors"], Tags: fields["tags"]})
	if err != nil {
		return nil, err
	}
	c := &model.ArticleConnection{Edges: make([]*model.ArticleEdge, len(items)), Nodes: list, PageInfo: pi, Filter: filter}
	for i, v := range list {
		c.Edges[i] = &model.ArticleEdge{Cursor: cursors[i], Node: v}
	}
	return c, nil
}

// views makes the GraphQL articles of list: each with its category, and
// with its authors and tags when parts asks for them, read for the whole
// list at once. GraphQL's Article is a news.ArticleView, so that gqlgen
// resolves none of them article by article.
func (r *Resolver) views(ctx context.Context, list []*news.Article, parts news.ViewParts) ([]*news.ArticleView, error) {
	return news.LoadViews(ctx, r.reader(ctx), list, parts)
}

// batchedViews is views for a list that may stand beside others like it
// in one response (related stories, an author's or category's articles).
// Under an element of another list, there is one such list per element,
// and the authors and tags of all of them are read together, through the
// LinksByArticle loader, instead of once a list; a list alone in its
// response reads them itself, without the loader's wait.
func (r *Resolver) batchedViews(ctx context.Context, list []*news.Article, parts news.ViewParts) ([]*news.ArticleView, error) {
	if !underList(ctx) {
		return r.views(ctx, list, parts)
	}
	views, err := r.views(ctx, list, news.ViewParts{})
	if err != nil || !parts.Authors && !parts.Tags {
		return views, err
	}
	keys := make([]loader.LinkKey, len(list))
	for i, a := range list {
		keys[i] = loader.LinkKey{ID: a.ID, Parts: parts}
	}
	links, err := loader.For(ctx).LinksByArticle().LoadAll(ctx, keys)
	if err != nil {
		return nil, err
	}
	for i, v := range views {
		v.Authors, v.Tags = links[i].Authors, links[i].Tags
	}
	return views, nil
}

// underList reports whether the field being resolved lies under an element
// of a list, and so may be resolved once for each of its elements.
func underList(ctx context.Context) bool {
	for fc := graphql.GetFieldContext(ctx); fc != nil; fc = fc.Parent {
		if fc.Index != nil {
			return true
		}
	}
	return false
}

// view is views of one article; nil stays nil.
func (r *Resolver) view(ctx context.Context, a *news.Article, parts news.ViewParts) (*news.ArticleView, error) {
	if a == nil {
		return nil, nil
	}
	views, err := r.views(ctx, []*news.Article{a}, parts)
	if err != nil {
		return nil, err
	}
	return views[0], nil
}

// articleFieldsRequested returns the names of the Article fields selected
// under the connection being resolved (through edges.node and nodes).
func articleFieldsRequested(ctx context.Context) map[string]bool {
	opCtx := graphql.GetOperationContext(ctx)
	var nodeSelections []ast.SelectionSet
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		switch f.Name {
		case "nodes":
			nodeSelections = append(nodeSelections, f.Selections)
		case "edges":
			for _, ef := range graphql.CollectFields(opCtx, f.Selections, nil) {
				if ef.Name == "node" {
					nodeSelections = append(nodeSelections, ef.Selections)
				}
			}
		}
	}
	names := map[string]bool{}
	for _, sel := range nodeSelections {
		for _, f := range graphql.CollectFields(opCtx, sel, nil) {
			names[f.Name] = true
		}
	}
	return names
}

// linkParts says which links of the articles the field being resolved
// returns (an article or a list of them) the query asks for: reading
// them costs as much as the article, wasted when they are not shown.
func linkParts(ctx context.Context) news.ViewParts {
	var parts news.ViewParts
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		switch f.Name {
		case "authors":
			parts.Authors = true
		case "tags":
			parts.Tags = true
		}
	}
	return parts
}

// within narrows a nested connection's filter to its parent (a category,
// tag or author), keeping the client's other filters.
func within(f *news.ArticleFilter, set func(*news.ArticleFilter)) *news.ArticleFilter {
	var out news.ArticleFilter
	if f != nil {
		out = *f
	}
	set(&out)
	return &out
}

func authorCursor(a *news.Author) news.Cursor { return news.Cursor{Slug: a.Slug} }
func tagCursor(t *news.Tag) news.Cursor       { return news.Cursor{Slug: t.Slug} }

// notFoundAsNil turns a NOT_FOUND error into a nil result: a lookup by slug
// or id answers null for what does not exist.
func notFoundAsNil[T any](v *T, err error) (*T, error) {
	if news.ErrorCode(err) == news.ENOTFOUND || loader.IsNotFound(err) {
		return nil, nil
	}
	return v, err
}

// node finds any object by global id.
func (r *Resolver) node(ctx context.Context, id string) (model.Node, error) {
	kind, n, err := news.ParseNodeID(id)
	if err != nil {
		return nil, err
	}
	l := loader.For(ctx)
	switch kind {
	case news.KindArticle:
		a, err := notFoundAsNil(l.ArticleByID().Load(ctx, n))
		if a == nil {
			return nil, err
		}
		return r.view(ctx, a, linkParts(ctx))
	case news.KindAuthor:
		a, err := notFoundAsNil(l.AuthorByID().Load(ctx, n))
		if a == nil {
			return nil, err
		}
		return a, nil
	case news.KindTag:
		t, err := notFoundAsNil(l.TagByID().Load(ctx, n))
		if t == nil {
			return nil, err
		}
		return t, nil
	case news.KindCategory:
		cats, err := r.reader(ctx).CategoryTree(ctx)
		if err != nil {
			return nil, err
		}
		if c := cats.ByID(n); c != nil {
			return c, nil
		}
	}
	return nil, nil
}
