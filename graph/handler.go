package graph

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/newsdesk/newsdesk/internal/httpcache"
	"github.com/newsdesk/newsdesk/internal/loader"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Options configure the GraphQL handler.
type Options struct {
	Store interface {
		news.Reader
		news.SearchStore
	}
	// Writer serves mutations and editors' previews.
	Writer news.Writer
	// Webhooks, ViewStore and Views serve partner webhooks and most-read.
	Webhooks  news.WebhookStore
	ViewStore news.ViewStore
	Views     news.ViewCounter
	// Now is the clock that tells scheduled from published. Default time.Now.
	Now news.Clock
	// Dev allows schema introspection and "did you mean" suggestions
	// (development tools); production turns both off.
	Dev bool
	// Limits bound each operation's cost, depth, aliases and tokens.
	Limits Limits
	// Charge debits an operation's cost from its client's rate limit
	// (nil: no rate limit).
	Charge func(ctx context.Context, cost int) error
	// Observe hears of every operation with its cost (metrics).
	Observe func(ctx context.Context, opCtx *graphql.OperationContext, cost int)
	// AllowList, when set, serves only the queries registered in it to
	// clients below the editor role.
	AllowList news.QueryStore
	// Queries are the registered queries, which persisted queries sent by
	// hash alone find on any replica (nil: only those sent here before).
	Queries news.QueryStore
	// Fragments keeps articles' JSON for the next query that shows them
	// the same way (nil: none).
	Fragments *FragmentCache
	// Logger receives internal errors, which clients see only as
	// "internal error" with the request id.
	Logger *slog.Logger
	// RequestID returns the id of the request ctx belongs to.
	RequestID func(ctx context.Context) string
}

// NewHandler returns the /graphql handler: queries over GET and POST (JSON),
// per-request dataloaders, a parsed-query cache, and errors that carry
// extensions.code and never internal detail.
func NewHandler(cfg Options) http.Handler { return newHandler(cfg, httpTransport{}) }

func newHandler(cfg Options, transports ...graphql.Transport) http.Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.RequestID == nil {
		cfg.RequestID = func(context.Context) string { return "" }
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	resolver := &Resolver{
		Store: cfg.Store, Writer: cfg.Writer, Searcher: &news.Searcher{Store: cfg.Store, Now: cfg.Now},
		Hooks: cfg.Webhooks, ViewStore: cfg.ViewStore, Views: cfg.Views, Now: cfg.Now,
	}
	cfg.Limits.defaults()
	schema := NewExecutableSchema(Config{Resolvers: resolver, Complexity: costModel()})
	srv := handler.New(schema)
	for _, t := range transports {
		srv.AddTransport(t)
	}
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(cfg.Limits.Tokens)
	if cfg.Dev {
		srv.Use(extension.Introspection{})
	} else {
		srv.SetDisableSuggestion(true)
	}
	if cfg.AllowList != nil {
		srv.Use(&allowList{store: cfg.AllowList})
	}
	// Automatic persisted queries (Apollo's protocol): a client sends the
	// hash alone, and the query only when told PersistedQueryNotFound.
	srv.Use(extension.AutomaticPersistedQuery{Cache: newAPQCache(cfg.Queries)})
	srv.Use(shapeLimit{depth: cfg.Limits.Depth, aliases: cfg.Limits.Aliases})
	srv.Use(extension.FixedComplexityLimit(cfg.Limits.Complexity))
	srv.Use(costCharge{observe: cfg.Observe, charge: cfg.Charge})
	if cfg.Fragments != nil {
		es := schema.(*executableSchema)
		srv.AroundFields(func(ctx context.Context, next graphql.Resolver) (any, error) {
			return cfg.Fragments.around(ctx, es, next)
		})
	}
	// The executor marshals the answer into a bytes.Buffer of its own,
	// grown from nothing by doubling: for a page of twenty stories, half the
	// bytes a request allocated. Each root field is written into a pooled
	// buffer first, and into the executor's in one piece.
	srv.AroundRootFields(func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
		m := next(ctx)
		if m == graphql.Null || m == graphql.RequiredNull {
			return m // what the executor counts as a failed field
		}
		return pooled{m}
	})
	srv.SetErrorPresenter(errorPresenter(cfg))
	// An answer with errors (PersistedQueryNotFound, a bad argument, a
	// failed resolver) may be right only for now: no cache may keep it.
	srv.AroundResponses(func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		resp := next(ctx)
		if resp != nil && len(resp.Errors) > 0 {
			if rq, ok := ctx.Value(requestKey{}).(*request); ok {
				rq.header.Set("Cache-Control", "no-store")
			}
		}
		return resp
	})
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		cfg.Logger.ErrorContext(ctx, "graphql panic", "panic", p, "request_id", cfg.RequestID(ctx))
		return errors.New("internal error")
	})
	withRequest := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		srv.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestKey{}, &request{header: w.Header()})))
	})
	return loader.Middleware(resolver.reader, withRequest)
}

// pooled writes a marshaler through a pooled buffer: one Write of it all.
type pooled struct{ graphql.Marshaler }

func (p pooled) MarshalGQL(w io.Writer) {
	b := httpcache.GetBuffer()
	p.Marshaler.MarshalGQL(b)
	w.Write(b.Bytes())
	httpcache.PutBuffer(b)
}

// request is what the handler keeps of one request: the response's header
// map, for the response middleware (the server's caching layers buffer the
// answer, so a header set once the operation has run still goes out with
// it), and the number of errors the response has so far (the error
// presenter sees each), by which the fragment cache tells a render that
// made one without copying the errors.
type request struct {
	header http.Header
	errors atomic.Int64
}

type requestKey struct{}

// errorCount returns the number of errors ctx's response has so far.
func errorCount(ctx context.Context) int64 {
	if rq, ok := ctx.Value(requestKey{}).(*request); ok {
		return rq.errors.Load()
	}
	return 0
}

// errorPresenter maps domain errors to extensions.code and hides every other
// error behind "internal error" and the request id, logging the cause.
func errorPresenter(cfg Options) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		if rq, ok := ctx.Value(requestKey{}).(*request); ok {
			rq.errors.Add(1)
		}
		var gqlErr *gqlerror.Error
		if errors.As(err, &gqlErr) && gqlErr.Err == nil {
			// Parse and validation errors made by gqlgen itself: safe, and
			// already coded (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED).
			return gqlErr
		}
		out := graphql.DefaultErrorPresenter(ctx, err)
		var domainErr *news.Error
		if errors.As(err, &domainErr) {
			out.Message = news.ErrorMessage(err)
			out.Extensions = map[string]any{"code": domainErr.Code}
			field := domainErr.Field
			if field == "" && domainErr.Code == news.EINVALID && len(out.Path) > 1 {
				// A scalar that failed to parse (a DateTime, say): gqlgen
				// puts the argument's path, ending in the input field.
				if name, ok := out.Path[len(out.Path)-1].(ast.PathName); ok {
					field = string(name)
					out.Message = field + ": " + out.Message
				}
			}
			if field != "" {
				out.Extensions["field"] = field
			}
			return out
		}
		if out.Message == "introspection disabled" {
			// gqlgen's answer to __schema and __type in production.
			out.Message = "introspection is disabled on this server"
			out.Extensions = map[string]any{"code": codeIntrospection}
			return out
		}
		if isInputError(err) {
			out.Extensions = map[string]any{"code": news.EINVALID}
			return out
		}
		id := cfg.RequestID(ctx)
		cfg.Logger.ErrorContext(ctx, "graphql internal error", "err", err, "path", out.Path.String(), "request_id", id)
		out.Message = "internal error"
		if id != "" {
			out.Message += " (request " + id + ")"
		}
		out.Extensions = map[string]any{"code": news.EINTERNAL}
		return out
	}
}

// codeIntrospection answers an introspection query in production.
const codeIntrospection = "INTROSPECTION_DISABLED"

// isInputError reports errors gqlgen makes from bad variables and arguments
// (say, a DateTime that is not RFC 3339): the client's fault, safe to show.
func isInputError(err error) bool {
	var gqlErr *gqlerror.Error
	if !errors.As(err, &gqlErr) {
		return false
	}
	code, _ := gqlErr.Extensions["code"].(string)
	return code == "GRAPHQL_VALIDATION_FAILED" || code == "BAD_USER_INPUT" || code == "GRAPHQL_PARSE_FAILED"
}
