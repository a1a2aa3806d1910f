package graph

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"reflect"

	"github.com/99designs/gqlgen/graphql"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/newsdesk/newsdesk/graph/model"
	"github.com/newsdesk/newsdesk/internal/contenthash"
	"github.com/newsdesk/newsdesk/internal/httpcache"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/vektah/gqlparser/v2/ast"
)

// FragmentCache keeps the JSON gqlgen wrote for an article, or for an edge
// of an article list, under a selection set, so that the next query showing
// the same article the same way copies it instead of running the executor
// over each of its fields again (gqlgen spends some 15 allocations on every
// field, most of a page's time).
//
// An entry's key hashes the selection set (names, aliases, arguments) and
// everything the article view (or edge) holds, so a fragment is a pure function of
// its key: an edit, a rename of an author, category or tag, a publish
// changes the view and so the key, and needs no invalidation. What the view
// does not hold keeps a selection out: a field with a resolver (related,
// status, revisions, avatarUrl...) reads more than the view, so a selection
// that reaches one is left to the executor; an answer that made an error
// is not kept either.
// Only queries are kept, in a contenthash.Cache (bounded in bytes, shared
// with the feeds' items).
type FragmentCache struct {
	pieces *contenthash.Cache
	// shapes remembers which selection sets are pure (see pure): the
	// executor answers the others as it would without this cache
	// (batching Article.status over a list, for one).
	shapes *lru.Cache[uint64, bool]
}

// NewFragmentCache returns a cache of articles' JSON that keeps them in
// pieces, for Options.Fragments.
func NewFragmentCache(pieces *contenthash.Cache) *FragmentCache {
	f := &FragmentCache{pieces: pieces}
	f.shapes, _ = lru.New[uint64, bool](1024)
	return f
}

// around is the field middleware of the handler whose schema renders
// misses: for a query field whose value is one of the kept types or a
// list of them, it answers with their JSON, kept or rendered.
func (f *FragmentCache) around(ctx context.Context, schema *executableSchema, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	def := fc.Field.Definition
	if def == nil || (def.Type.Name() != "Article" && def.Type.Name() != "ArticleEdge") {
		return next(ctx)
	}
	// One object, or a list [T!]!: lists of other shapes are left to the
	// executor.
	if t := def.Type; t.Elem != nil && (!t.NonNull || !t.Elem.NonNull || t.Elem.Elem != nil) {
		return next(ctx)
	}
	oc := graphql.GetOperationContext(ctx)
	if oc.Operation == nil || oc.Operation.Operation != ast.Query || ctx.Value(renderingKey{}) != nil {
		// A mutation's answer, or an edge's article being rendered (kept
		// with the edge, not apart).
		return next(ctx)
	}
	k := keep{f: f, schema: schema, oc: oc, sel: fc.Field.Selections}
	var ok bool
	if k.shape, ok = selectionHash(oc, k.sel, def.Type.Name()); !ok || !f.pure(ctx, fc, k.shape) {
		return next(ctx)
	}
	res, err := next(ctx)
	if err != nil {
		return res, err
	}
	switch v := res.(type) {
	case *news.ArticleView:
		return keepOne(ctx, k, v, articleID, (*executionContext)._Article), nil
	case []*news.ArticleView:
		return keepList(ctx, k, v, articleID, (*executionContext)._Article), nil
	case *model.ArticleEdge:
		return keepOne(ctx, k, v, edgeID, (*executionContext)._ArticleEdge), nil
	case []*model.ArticleEdge:
		return keepList(ctx, k, v, edgeID, (*executionContext)._ArticleEdge), nil
	}
	return res, nil
}

// renderingKey marks the context of an object being rendered for the
// cache.
type renderingKey struct{}

// pure reports whether the selection under fc, of hash shape (so without
// arguments), reads nothing but the object: no field in it, however deep,
// has a resolver. gqlgen's own field contexts
// say which fields have resolvers; the others are struct fields and
// methods that take no context (NodeID), which read the object alone. The
// answer is remembered by shape.
func (f *FragmentCache) pure(ctx context.Context, fc *graphql.FieldContext, shape uint64) bool {
	if p, ok := f.shapes.Get(shape); ok {
		return p
	}
	p := fc.Child != nil && pureSelection(ctx, fc.Child, fc.Field.Selections)
	f.shapes.Add(shape, p)
	return p
}

func pureSelection(ctx context.Context, child func(context.Context, graphql.CollectedField) (*graphql.FieldContext, error), set ast.SelectionSet) bool {
	for _, s := range set {
		switch s := s.(type) {
		case *ast.Field:
			if s.Name == "__typename" {
				continue
			}
			// Without arguments (selectionHash refused them), making a
			// field's context has no side effect: no error to report.
			cfc, err := child(ctx, graphql.CollectedField{Field: s, Selections: s.SelectionSet})
			if err != nil || cfc.IsResolver {
				return false
			}
			if len(s.SelectionSet) > 0 && (cfc.Child == nil || !pureSelection(ctx, cfc.Child, s.SelectionSet)) {
				return false
			}
		case *ast.FragmentSpread:
			if s.Definition == nil || !pureSelection(ctx, child, s.Definition.SelectionSet) {
				return false
			}
		case *ast.InlineFragment:
			if !pureSelection(ctx, child, s.SelectionSet) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// articleID and edgeID name the article an object shows; false for none.
func articleID(v *news.ArticleView) (int64, bool) {
	if v == nil || v.Article == nil {
		return 0, false
	}
	return v.ID, true
}

func edgeID(e *model.ArticleEdge) (int64, bool) {
	if e == nil {
		return 0, false
	}
	return articleID(e.Node)
}

// keep is what rendering and keeping one field's objects needs.
type keep struct {
	f      *FragmentCache
	schema *executableSchema
	oc     *graphql.OperationContext
	sel    ast.SelectionSet
	shape  uint64
}

// render is the executor's marshalling of one object.
type render[T any] func(ec *executionContext, ctx context.Context, sel ast.SelectionSet, v T) graphql.Marshaler

// keepOne returns v's JSON, kept or rendered; nil is the executor's.
func keepOne[T any](ctx context.Context, k keep, v T, id func(T) (int64, bool), r render[T]) any {
	n, ok := id(v)
	if !ok {
		return v
	}
	return k.one(ctx, n, reflect.ValueOf(v), func(ec *executionContext, ctx context.Context) graphql.Marshaler {
		return r(ec, ctx, k.sel, v)
	})
}

// keepList returns the JSON of the objects of a [T!]!, each kept or
// rendered; null, as the executor's list, when one of them is null.
func keepList[T any](ctx context.Context, k keep, list []T, id func(T) (int64, bool), r render[T]) any {
	ids := make([]int64, len(list))
	for i, v := range list {
		var ok bool
		if ids[i], ok = id(v); !ok {
			return list // a nil: the executor's answer, before any render
		}
	}
	out := make(graphql.Array, len(list))
	for i, v := range list {
		// Each object under its index, as the executor's own list gives
		// it: errors carry the path.
		ectx := graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &i, Result: v})
		out[i] = k.one(ectx, ids[i], reflect.ValueOf(v), func(ec *executionContext, ctx context.Context) graphql.Marshaler {
			return r(ec, ctx, k.sel, v)
		})
	}
	// After every object, as the executor: each null reports its error.
	for _, m := range out {
		if m == graphql.Null {
			return graphql.Null
		}
	}
	return out
}

// one returns the JSON of the object v points to, of article id: kept, or
// rendered by r and then kept unless the render made an error. A render
// that came out null (a non-null field inside it failed) is null, for the
// executor to carry it up.
func (k keep) one(ctx context.Context, id int64, v reflect.Value, r func(ec *executionContext, ctx context.Context) graphql.Marshaler) graphql.Marshaler {
	f := k.f
	d := f.pieces.NewHasher()
	d.Uint(k.shape)
	hashable := d.Value(v.Elem())
	key := d.Sum()
	if hashable {
		if json, ok := f.pieces.Get(key, id); ok {
			return rawJSON(json)
		}
	}
	errs := errorCount(ctx)
	m := r(newExecutionContext(k.oc, k.schema, nil), context.WithValue(ctx, renderingKey{}, true))
	if m == graphql.Null {
		return m
	}
	buf := httpcache.GetBuffer()
	m.MarshalGQL(buf)
	// A copy of its own size: what the cache counts is what it holds.
	json := bytes.Clone(buf.Bytes())
	httpcache.PutBuffer(buf)
	if !hashable || errorCount(ctx) != errs {
		return rawJSON(json)
	}
	f.pieces.Add(key, id, json)
	return rawJSON(json)
}

// rawJSON writes JSON already made.
type rawJSON []byte

func (r rawJSON) MarshalGQL(w io.Writer) { w.Write(r) }

// selectionHash hashes a selection set as the executor will read it: field
// names and aliases, the fragments it spreads, @skip and @include with
// their conditions. ok is false for a selection the cache leaves to the
// executor: one with a field that takes arguments (read by a resolver), or
// whose answer is not one JSON object in place (@defer, and any directive
// it does not know).
func selectionHash(oc *graphql.OperationContext, set ast.SelectionSet, typ string) (uint64, bool) {
	d := contenthash.New()
	d.String(typ)
	if !hashSelections(d, oc, set) {
		return 0, false
	}
	return d.Sum(), true
}

func hashSelections(d *contenthash.Hasher, oc *graphql.OperationContext, set ast.SelectionSet) bool {
	d.Uint(uint64(len(set)))
	for _, s := range set {
		switch s := s.(type) {
		case *ast.Field:
			if len(s.Arguments) > 0 {
				// Only resolvers take arguments here: the executor's.
				return false
			}
			d.Mark('f')
			d.String(s.Alias)
			d.String(s.Name)
			if !hashDirectives(d, oc, s.Directives) || !hashSelections(d, oc, s.SelectionSet) {
				return false
			}
		case *ast.FragmentSpread:
			if s.Definition == nil {
				return false
			}
			d.Mark('s')
			d.String(s.Definition.TypeCondition)
			if !hashDirectives(d, oc, s.Directives) || !hashSelections(d, oc, s.Definition.SelectionSet) {
				return false
			}
		case *ast.InlineFragment:
			d.Mark('i')
			d.String(s.TypeCondition)
			if !hashDirectives(d, oc, s.Directives) || !hashSelections(d, oc, s.SelectionSet) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func hashDirectives(d *contenthash.Hasher, oc *graphql.OperationContext, dirs ast.DirectiveList) bool {
	for _, dir := range dirs {
		if dir.Name != "skip" && dir.Name != "include" {
			return false
		}
		d.String(dir.Name)
		for _, a := range dir.Arguments {
			if !hashArgument(d, oc, a.Value) {
				return false
			}
		}
	}
	return true
}

// hashArgument hashes a directive argument's value with its variables
// filled in.
func hashArgument(d *contenthash.Hasher, oc *graphql.OperationContext, v *ast.Value) bool {
	val, err := v.Value(oc.Variables)
	if err != nil {
		return false
	}
	// fmt prints maps with sorted keys, so equal values print alike.
	d.String(fmt.Sprintf("%T:%v", val, val))
	return true
}
