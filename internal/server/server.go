// Package server is newsdesk's HTTP server: routing, the middleware every
// request passes (request id, access log and metrics, panic recovery, CORS,
// body limit, deadline, caching, authentication, rate limits), health
// checks, /metrics, and graceful shutdown with draining. Transports
// (GraphQL, REST, feeds) plug in as handlers; this package holds no domain
// logic.
package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/newsdesk/newsdesk/graph"
	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/contenthash"
	"github.com/newsdesk/newsdesk/internal/feed"
	"github.com/newsdesk/newsdesk/internal/httpcache"
	"github.com/newsdesk/newsdesk/internal/metrics"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/ratelimit"
	"github.com/newsdesk/newsdesk/internal/rest"
	"github.com/rs/cors"
)

// Store is what the server needs of a store: public reads, search,
// editorial writes, webhooks, views, registered queries, pool statistics
// and a readiness check.
type Store interface {
	news.Reader
	news.SearchStore
	news.Writer
	news.WebhookStore
	news.ViewStore
	news.QueryStore
	Ping(ctx context.Context) error
	PoolStats() map[string]news.PoolStats
	httpcache.Source
}

// DefaultResponseCacheMB is the response cache's default size in MiB. It
// was 64 before the store's article cache (8 MiB) came, which serves more
// answers per byte (every selection and field set of an article, lists,
// search) than a whole answer kept per URL does; then 56, until one
// request a core at once (serve's --max-in-flight) raised the server's
// peak at 1,000,000 articles under the benchmark's load from 146 MB to
// 164-169 MB, over the 150 MB the project holds to. Its bytes count twice,
// held and in serve's soft memory limit: 40 MiB peaked at 149 MB, 32 at
// 142 (docs/DESIGN.md, Turns).
const DefaultResponseCacheMB = 32

// Config configures a Server.
type Config struct {
	Store Store
	// Keys authenticates API keys.
	Keys *auth.Keyring
	// Views counts article views (its owner flushes it to the store).
	Views  news.ViewCounter
	Logger *slog.Logger
	// AccessLog gets one line per request (a LogBuffer behind it keeps
	// that off each request's path). Default Logger.
	AccessLog *slog.Logger
	// Now is the clock that tells scheduled from published. Default time.Now.
	Now news.Clock
	// PublicURL is the site's public base URL, for absolute links in feeds
	// and sitemaps. Default http://localhost:8080.
	PublicURL string
	// SiteName titles feeds. Default "newsdesk".
	SiteName string
	// Dev serves GraphiQL at /, allows introspection and field
	// suggestions, and leaves /metrics open. Production (false) turns all
	// of that off: /metrics then needs an admin key.
	Dev bool
	// RateLimit limits requests per key and per client IP.
	RateLimit bool
	// Budgets are the rate-limit budgets by role (nil: the defaults).
	Budgets map[news.Role]ratelimit.Budget
	// TrustedProxies are the proxies whose X-Forwarded-For names the client.
	TrustedProxies []netip.Prefix
	// CORSOrigins may send keyed requests (the write API) from a browser;
	// any origin may read without a key. "*" allows any.
	CORSOrigins []string
	// AllowList serves only registered GraphQL queries to clients below the
	// editor role.
	AllowList bool
	// Limits bound GraphQL operations (zero: the defaults).
	Limits graph.Limits
	// ResponseCacheBytes bounds the in-memory cache of public GET answers
	// (0: the default, DefaultResponseCacheMB; negative: no cache).
	ResponseCacheBytes int64
	// FragmentCacheBytes bounds the cache of pieces of answers kept by
	// content: articles' GraphQL JSON, per selection set, and feed items'
	// XML (0: the default, 8 MiB; negative: no cache).
	FragmentCacheBytes int64
	// MaxBodyBytes bounds a request body: 413 past it. Default 1 MiB.
	MaxBodyBytes int64
	// RequestTimeout is each request's deadline. Default 10s.
	RequestTimeout time.Duration
	// MaxInFlight is how many anonymous GraphQL, REST and feed requests
	// the server works on at once; the rest wait their turn in arrival
	// order (answers from the response cache do not wait). 0 or negative:
	// no limit, every request starts at once. serve sets it to GOMAXPROCS
	// on a SQLite store: one a core.
	MaxInFlight int
	// QueueTimeout is how long a request may wait its turn before it is
	// answered 503 with Retry-After. Default 1s.
	QueueTimeout time.Duration
	// DrainDelay is how long /readyz answers 503 before shutdown starts,
	// so that a load balancer stops sending first. Default 0.
	DrainDelay time.Duration
	// ShutdownTimeout bounds how long in-flight requests may take to finish
	// on shutdown. Default 15s.
	ShutdownTimeout time.Duration
}

// Server serves the newsdesk HTTP API.
type Server struct {
	cfg      Config
	handler  http.Handler
	metrics  *metrics.Metrics
	cache    *httpcache.ResponseCache
	draining atomic.Bool
}

// cacheStats reports the response cache's counters.
func (s *Server) cacheStats() httpcache.Stats {
	if s.cache == nil {
		return httpcache.Stats{}
	}
	return s.cache.Stats()
}

// New builds a server and its routes.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.AccessLog == nil {
		cfg.AccessLog = cfg.Logger
	}
	if cfg.ShutdownTimeout <= 0 {
		cfg.ShutdownTimeout = 15 * time.Second
	}
	if cfg.PublicURL == "" {
		cfg.PublicURL = "http://localhost:8080"
	}
	if cfg.SiteName == "" {
		cfg.SiteName = "newsdesk"
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 10 * time.Second
	}
	if cfg.QueueTimeout <= 0 {
		cfg.QueueTimeout = time.Second
	}
	if cfg.Keys != nil {
		// Feed readers cannot send headers: partners put their key in the URL.
		cfg.Keys.QueryKeyPaths = []string{"/feeds/"}
	}
	if cfg.ResponseCacheBytes == 0 {
		cfg.ResponseCacheBytes = DefaultResponseCacheMB << 20
	}
	if cfg.FragmentCacheBytes == 0 {
		cfg.FragmentCacheBytes = 8 << 20
	}
	s := &Server{cfg: cfg}
	if cfg.ResponseCacheBytes > 0 {
		// Entries live no longer than a shared cache may keep the answer.
		s.cache = httpcache.NewResponseCache(cfg.Store, cfg.ResponseCacheBytes, 30*time.Second, cfg.Now)
	}
	var fragmentStats, articleStats metrics.CacheStats // nil: no such cache
	var fragments *graph.FragmentCache
	var pieces *contenthash.Cache
	if cfg.FragmentCacheBytes > 0 {
		pieces = contenthash.NewCache(cfg.FragmentCacheBytes, news.SharedTypes()...)
		fragments = graph.NewFragmentCache(pieces)
		fragmentStats = pieces.Stats
	}
	// A SQLite store keeps an article cache; a PostgreSQL one does not.
	if st, ok := cfg.Store.(interface {
		ArticleCacheStats() (hits, misses uint64, bytes int64)
	}); ok {
		articleStats = st.ArticleCacheStats
	}
	s.metrics = metrics.New(cfg.Store.PoolStats, s.cacheStats, fragmentStats, articleStats)
	queue := func(h http.Handler) http.Handler { return h }
	if cfg.MaxInFlight > 0 {
		a := newAdmission(cfg.MaxInFlight, cfg.QueueTimeout, s.busy)
		s.metrics.Admission(cfg.MaxInFlight, a.running.Load, a.queued.Load, a.timeouts.Load)
		queue = a.wrap
	}
	var limiter *ratelimit.Limiter
	if cfg.RateLimit {
		limiter = ratelimit.New(cfg.Budgets, cfg.TrustedProxies)
		limiter.OnRefuse = s.metrics.Refused
	}

	mux := http.NewServeMux()
	gqlOpts := graph.Options{
		Store:     cfg.Store,
		Writer:    cfg.Store,
		Webhooks:  cfg.Store,
		ViewStore: cfg.Store,
		Views:     cfg.Views,
		Queries:   cfg.Store,
		Now:       cfg.Now,
		Dev:       cfg.Dev,
		Limits:    cfg.Limits,
		Fragments: fragments,
		Observe:   s.metrics.Operation,
		Logger:    cfg.Logger,
		RequestID: RequestID,
	}
	if limiter != nil {
		// Rate-limit points: one a request, plus one per 100 of cost.
		gqlOpts.Charge = func(ctx context.Context, cost int) error { return ratelimit.Charge(ctx, cost/100) }
	}
	if cfg.AllowList {
		gqlOpts.AllowList = cfg.Store
	}
	gql := queue(graph.NewHandler(gqlOpts))
	mux.Handle("GET /graphql", gql)
	mux.Handle("POST /graphql", gql)
	mux.Handle("/v1/", queue(rest.NewHandler(rest.Config{
		Store:     cfg.Store,
		Writer:    cfg.Store,
		Searcher:  &news.Searcher{Store: cfg.Store, Now: cfg.Now},
		ViewStore: cfg.Store,
		Views:     cfg.Views,
		Logger:    cfg.Logger,
		RequestID: RequestID,
		Now:       cfg.Now,
		Pieces:    pieces,
	})))
	feeds := queue(feed.NewHandler(feed.Config{
		Store:     cfg.Store,
		PublicURL: cfg.PublicURL,
		SiteName:  cfg.SiteName,
		Pieces:    pieces,
		Logger:    cfg.Logger,
		RequestID: RequestID,
		Now:       cfg.Now,
	}))
	for _, p := range []string{"/feeds/", "/sitemap.xml", "/sitemaps/", "/sitemap-news.xml"} {
		mux.Handle(p, feeds)
	}
	mux.HandleFunc("GET /livez", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		rest.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.HandleFunc("GET /metrics", s.serveMetrics)
	if cfg.Dev {
		mux.Handle("GET /{$}", playground.Handler("newsdesk GraphQL", "/graphql"))
	}
	mux.HandleFunc("/", rest.NotFound)

	var h http.Handler = noteRoute(mux)
	if s.cache != nil {
		h = s.cache.Middleware(h)
	}
	if limiter != nil {
		h = limiter.Middleware(s.rateLimited, h)
	}
	h = notePrincipal(h)
	h = cfg.Keys.Middleware(s.authFailed, h)
	// Caching sees the final answer, 401s and 429s included; any request
	// with a key is answered privately.
	h = httpcache.Middleware(httpcache.Options{Private: httpcache.CarriesKey}, h)
	h = withDeadline(cfg.RequestTimeout, h)
	h = limitBody(cfg.MaxBodyBytes, h)
	h = s.cors().Handler(h)
	h = recoverer(cfg.Logger, h)
	h = s.accessLog(func(r *http.Request) string { return route(mux, r) }, h)
	s.handler = withRequestID(h)
	return s
}

// route is the pattern that serves r, looked up through nested muxes (the
// REST API and the feeds have their own): a bounded label for metrics.
func route(mux *http.ServeMux, r *http.Request) string {
	var h http.Handler = mux
	pattern := ""
	for {
		rt, ok := h.(router)
		if !ok {
			return pattern
		}
		next, p := rt.Handler(r)
		if p == "" || next == h {
			return pattern
		}
		h, pattern = next, p
	}
}

// router is a handler that tells which of its routes serves a request:
// an http.ServeMux.
type router interface {
	Handler(*http.Request) (http.Handler, string)
}

// cors lets any origin read without a key, and only the configured origins
// send a key (Authorization), which is what writing takes; no cookies are
// ever involved.
func (s *Server) cors() *cors.Cors {
	allowed := map[string]bool{}
	for _, o := range s.cfg.CORSOrigins {
		allowed[strings.TrimRight(o, "/")] = true
	}
	return cors.New(cors.Options{
		AllowOriginVaryRequestFunc: func(r *http.Request, origin string) (bool, []string) {
			if allowed["*"] || allowed[origin] {
				return true, nil
			}
			keyed := r.Header.Get("Authorization") != "" ||
				strings.Contains(strings.ToLower(r.Header.Get("Access-Control-Request-Headers")), "authorization")
			return !keyed, []string{"Authorization"}
		},
		AllowedMethods: []string{http.MethodGet, http.MethodPost},
		AllowedHeaders: []string{"Content-Type", "Authorization", "X-Request-Id"},
		ExposedHeaders: []string{"X-Request-Id", "ETag", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After"},
		MaxAge:         600,
	})
}

// serveMetrics is open in development; in production it needs an admin key
// (Prometheus sends one with bearer_token).
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	if !s.cfg.Dev {
		if err := news.Require(r.Context(), news.RoleAdmin); err != nil {
			code := news.ErrorCode(err)
			rest.WriteError(w, rest.Status(code), code, news.ErrorMessage(err))
			return
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	s.metrics.Handler().ServeHTTP(w, r)
}

// rateLimited answers a request refused before it started.
func (s *Server) rateLimited(w http.ResponseWriter, r *http.Request, retryAfter time.Duration) {
	s.refuse(w, r, http.StatusTooManyRequests, news.ERATELIMITED, "rate limit exceeded; retry in "+retryAfter.String())
}

// refuse answers a request the server will not run: a GraphQL error with
// the code on /graphql, the REST error body elsewhere.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	if r.URL.Path == "/graphql" {
		rest.WriteJSON(w, status, map[string]any{"errors": []any{map[string]any{
			"message": msg, "extensions": map[string]string{"code": code},
		}}})
		return
	}
	rest.WriteError(w, status, code, msg)
}

// limitBody refuses bodies over n bytes with 413, before any handler reads
// them.
func limitBody(n int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > n {
			rest.WriteError(w, http.StatusRequestEntityTooLarge, ETOOLARGE, fmt.Sprintf("the body is over %d bytes", n))
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, n))
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				rest.WriteError(w, http.StatusRequestEntityTooLarge, ETOOLARGE, fmt.Sprintf("the body is over %d bytes", n))
				return
			}
			if err != nil {
				rest.WriteError(w, http.StatusBadRequest, news.EINVALID, "the body could not be read")
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		next.ServeHTTP(w, r)
	})
}

// ETOOLARGE is the error code of a body over the limit.
const ETOOLARGE = "PAYLOAD_TOO_LARGE"

// withDeadline gives every request a deadline: queries stop at it.
func withDeadline(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// Handler returns the server's root handler, for tests and embedding.
func (s *Server) Handler() http.Handler { return s.handler }

// Serve answers requests on ln until ctx is done; then /readyz turns 503
// for DrainDelay, the server stops accepting, and in-flight requests
// finish (up to ShutdownTimeout) before it returns.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.cfg.Logger.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.draining.Store(true)
	s.cfg.Logger.Info("draining", "delay", s.cfg.DrainDelay.String(), "timeout", s.cfg.ShutdownTimeout.String())
	time.Sleep(s.cfg.DrainDelay)
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	err := hs.Shutdown(sctx)
	if serveErr := <-errc; !errors.Is(serveErr, http.ErrServerClosed) && err == nil {
		err = serveErr
	}
	return err
}

// readyz answers 200 while the store is reachable and migrated, and 503
// once the server is draining.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if s.draining.Load() {
		rest.WriteError(w, http.StatusServiceUnavailable, news.EUNAVAILABLE, "shutting down")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.cfg.Store.Ping(ctx); err != nil {
		s.cfg.Logger.WarnContext(ctx, "not ready", "err", err, "request_id", RequestID(ctx))
		rest.WriteError(w, http.StatusServiceUnavailable, news.EUNAVAILABLE, "store not ready")
		return
	}
	rest.WriteJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// authFailed answers a request whose key does not authenticate: 401 in the
// error shape of the endpoint asked for, or 500 when the check itself failed.
func (s *Server) authFailed(w http.ResponseWriter, r *http.Request, err error) {
	status, code, msg := http.StatusUnauthorized, news.ErrorCode(err), news.ErrorMessage(err)
	if code == news.EINTERNAL {
		id := RequestID(r.Context())
		s.cfg.Logger.ErrorContext(r.Context(), "authenticate", "err", err, "request_id", id)
		status, msg = http.StatusInternalServerError, "internal error (request "+id+")"
	} else {
		w.Header().Set("WWW-Authenticate", `Bearer realm="newsdesk"`)
	}
	if r.URL.Path == "/graphql" {
		rest.WriteJSON(w, status, map[string]any{"errors": []any{map[string]any{
			"message": msg, "extensions": map[string]string{"code": code},
		}}})
		return
	}
	rest.WriteError(w, status, code, msg)
}

type requestIDKey struct{}

// RequestID returns the id of the request ctx belongs to, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// withRequestID gives each request an id, taken from a sane incoming
// X-Request-Id or made up, and echoes it in the response.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !saneID(id) {
			var b [8]byte
			rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}

func saneID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// statusWriter records the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// requestInfo is what inner layers tell the access log about a request.
type requestInfo struct {
	keyID int64
	route string
}

type requestInfoKey struct{}

// notePrincipal tells the access log which key made the request.
func notePrincipal(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := news.PrincipalFrom(r.Context()); p != nil {
			if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok {
				info.keyID = p.KeyID
			}
		}
		next.ServeHTTP(w, r)
	})
}

// noteRoute tells the access log the pattern that served the request. A
// ServeMux sets it on the request it is given, and the REST API's and the
// feeds' own muxes are given that same request, so it ends up the
// innermost pattern: what route would find by matching again.
func noteRoute(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok {
			info.route = r.Pattern
		}
	})
}

// accessLog writes one structured line per request (with the key's id,
// never a secret) and records it in the metrics under its route.
func (s *Server) accessLog(route func(*http.Request) string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		info := &requestInfo{}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info)))
		d := time.Since(start)
		if info.route == "" {
			// Answered before the routes (from the response cache, or
			// refused): found by matching.
			info.route = route(r)
		}
		s.metrics.Request(info.route, r.Method, sw.status, d)
		attrs := []slog.Attr{
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", sw.status),
			slog.Int("bytes", sw.bytes),
			slog.Float64("duration_ms", float64(d.Microseconds())/1000),
			slog.String("request_id", RequestID(r.Context())),
		}
		if info.keyID != 0 {
			attrs = append(attrs, slog.Int64("key_id", info.keyID))
		}
		s.cfg.AccessLog.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
	})
}

// recoverer turns a panic into a logged 500 with a JSON body that names the
// request id and nothing else.
func recoverer(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				id := RequestID(r.Context())
				log.ErrorContext(r.Context(), "panic", "panic", p, "request_id", id)
				rest.WriteError(w, http.StatusInternalServerError, news.EINTERNAL, "internal error (request "+id+")")
			}
		}()
		next.ServeHTTP(w, r)
	})
}
