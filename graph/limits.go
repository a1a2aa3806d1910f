package graph

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Limits bound what one GraphQL operation may ask, so that no query can
// cost the server much more than an ordinary page does.
type Limits struct {
	// Complexity is the query cost budget: every field costs 1, and a list
	// field costs its page size (first or last, or its default) times its
	// children. A category page of 20 with authors, tags and five related
	// stories each costs about 560. Default 20,000: in the spirit of GitHub's
	// 500,000-node cap, scaled to one small server.
	Complexity int
	// Depth bounds nesting (the introspection query needs 13). Default 15.
	Depth int
	// Aliases bounds the aliased fields of an operation, which would
	// otherwise repeat an expensive field freely. Default 30.
	Aliases int
	// Tokens bounds the parser's work on a query text. Default 10,000.
	Tokens int
}

func (l *Limits) defaults() {
	if l.Complexity == 0 {
		l.Complexity = 20_000
	}
	if l.Depth == 0 {
		l.Depth = 15
	}
	if l.Aliases == 0 {
		l.Aliases = 30
	}
	if l.Tokens == 0 {
		l.Tokens = 10_000
	}
}

// Guesses for lists that take no page size: how many items they have.
const (
	listCategories = 20
	listChildren   = 10
	listBylines    = 3
	listTags       = 5
	listRevisions  = 10
	listWebhooks   = 10
)

// pageSize is the number of items a page argument pair asks for.
func pageSize(first, last *int, def int) int {
	switch {
	case first != nil:
		return max(*first, 1)
	case last != nil:
		return max(*last, 1)
	}
	return def
}

// times is 1 + n x child, saturating instead of overflowing.
func times(n, child int) int {
	const ceiling = 1 << 40
	if child > 0 && n > ceiling/child {
		return ceiling
	}
	return 1 + n*child
}

// costModel prices every list field by its page size.
func costModel() ComplexityRoot {
	var c ComplexityRoot
	type pageArgs = func(child int, first *int, after *string, last *int, before *string, f *news.ArticleFilter) int
	articles := pageArgs(func(child int, first *int, _ *string, last *int, _ *string, _ *news.ArticleFilter) int {
		return times(pageSize(first, last, news.DefaultPageSize), child)
	})
	c.Query.Articles = articles
	c.Author.Articles = articles
	c.Category.Articles = articles
	c.Tag.Articles = articles
	c.Query.Authors = func(child int, first *int, _ *string, last *int, _ *string) int {
		return times(pageSize(first, last, news.DefaultPageSize), child)
	}
	c.Query.Tags = c.Query.Authors
	c.Query.Search = func(child int, _ string, first *int, _ *string, last *int, _ *string, _ *news.ArticleFilter, _ *news.SearchOrder) int {
		return times(pageSize(first, last, news.DefaultPageSize), child)
	}
	c.Query.MostRead = func(child int, _ *news.Period, _ *string, first *int) int {
		return times(pageSize(first, nil, 10), child)
	}
	c.Article.Related = func(child int, first *int) int { return times(pageSize(first, nil, 5), child) }
	c.Webhook.Deliveries = func(child int, first *int) int { return times(pageSize(first, nil, 20), child) }
	c.Query.Categories = func(child int) int { return times(listCategories, child) }
	c.Category.Children = func(child int) int { return times(listChildren, child) }
	c.Article.Authors = func(child int) int { return times(listBylines, child) }
	c.Article.Tags = func(child int) int { return times(listTags, child) }
	c.Article.Revisions = func(child int) int { return times(listRevisions, child) }
	c.Query.Webhooks = func(child int) int { return times(listWebhooks, child) }
	return c
}

// Error codes of the limits beyond gqlgen's COMPLEXITY_LIMIT_EXCEEDED.
const (
	codeDepth   = "DEPTH_LIMIT_EXCEEDED"
	codeAliases = "ALIAS_LIMIT_EXCEEDED"
)

// shapeLimit refuses operations nested too deep or with too many aliases,
// after validation and before execution.
type shapeLimit struct{ depth, aliases int }

var _ interface {
	graphql.OperationContextMutator
	graphql.HandlerExtension
} = shapeLimit{}

func (shapeLimit) ExtensionName() string                   { return "ShapeLimit" }
func (shapeLimit) Validate(graphql.ExecutableSchema) error { return nil }
func (s shapeLimit) MutateOperationContext(_ context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if opCtx.Operation == nil {
		return nil
	}
	aliases := 0
	depth := measure(opCtx.Operation.SelectionSet, &aliases)
	if depth > s.depth {
		err := gqlerror.Errorf("operation is nested %d deep, more than the limit of %d", depth, s.depth)
		errcode.Set(err, codeDepth)
		return err
	}
	if aliases > s.aliases {
		err := gqlerror.Errorf("operation has %d aliased fields, more than the limit of %d", aliases, s.aliases)
		errcode.Set(err, codeAliases)
		return err
	}
	return nil
}

// measure returns the depth of a selection set, fragments expanded, and
// adds its aliased fields to aliases. Validation has already refused
// fragment cycles.
func measure(set ast.SelectionSet, aliases *int) int {
	deepest := 0
	for _, sel := range set {
		var d int
		switch s := sel.(type) {
		case *ast.Field:
			if s.Alias != "" && s.Alias != s.Name {
				*aliases++
			}
			d = 1 + measure(s.SelectionSet, aliases)
		case *ast.InlineFragment:
			d = measure(s.SelectionSet, aliases)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				d = measure(s.Definition.SelectionSet, aliases)
			}
		}
		deepest = max(deepest, d)
	}
	return deepest
}

// costCharge passes each operation's cost to the metrics and the rate
// limiter, after the complexity limit has priced it.
type costCharge struct {
	observe func(ctx context.Context, opCtx *graphql.OperationContext, cost int)
	charge  func(ctx context.Context, cost int) error
}

var _ interface {
	graphql.OperationContextMutator
	graphql.HandlerExtension
} = costCharge{}

func (costCharge) ExtensionName() string                   { return "CostCharge" }
func (costCharge) Validate(graphql.ExecutableSchema) error { return nil }
func (c costCharge) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	stats := extension.GetComplexityStats(graphql.WithOperationContext(ctx, opCtx))
	if stats == nil {
		return nil
	}
	if c.observe != nil {
		c.observe(ctx, opCtx, stats.Complexity)
	}
	if c.charge == nil {
		return nil
	}
	if err := c.charge(ctx, stats.Complexity); err != nil {
		gerr := gqlerror.Errorf("%s", news.ErrorMessage(err))
		errcode.Set(gerr, news.ErrorCode(err))
		return gerr
	}
	return nil
}

// codeNotAllowed refuses a query that is not on the allow-list.
const codeNotAllowed = "PERSISTED_QUERY_NOT_ALLOWED"

// allowList serves only registered queries, by hash (Apollo's
// extensions.persistedQuery.sha256Hash) or by their exact text, to
// everyone below the editor role (editors' tools write queries freely).
type allowList struct {
	store news.QueryStore
	known sync.Map // hash -> query: registered queries never change
}

var _ interface {
	graphql.OperationParameterMutator
	graphql.HandlerExtension
} = (*allowList)(nil)

func (*allowList) ExtensionName() string                   { return "AllowList" }
func (*allowList) Validate(graphql.ExecutableSchema) error { return nil }

func (a *allowList) MutateOperationParameters(ctx context.Context, params *graphql.RawParams) *gqlerror.Error {
	if news.Can(ctx, news.RoleEditor) {
		return nil
	}
	hash := ""
	if pq, ok := params.Extensions["persistedQuery"].(map[string]any); ok {
		hash, _ = pq["sha256Hash"].(string)
	}
	if hash == "" {
		hash = news.QueryHash(params.Query)
	}
	query, ok := a.known.Load(hash)
	if !ok {
		q, err := a.store.PersistedQuery(ctx, hash)
		if err != nil {
			if news.ErrorCode(err) != news.ENOTFOUND {
				return gqlerror.Errorf("internal error")
			}
			gerr := gqlerror.Errorf("this server answers registered queries only; %.16s… is not one", hash)
			errcode.Set(gerr, codeNotAllowed)
			return gerr
		}
		query, _ = a.known.LoadOrStore(hash, q.Query)
	}
	if params.Query == "" {
		params.Query = query.(string)
	} else if params.Query != query.(string) {
		gerr := gqlerror.Errorf("the query does not match its sha256Hash")
		errcode.Set(gerr, codeNotAllowed)
		return gerr
	}
	return nil
}
