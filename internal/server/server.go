// Package server is newsdesk's HTTP server: routing, the middleware every
// request passes (request id, access log, panic recovery, CORS), health
// checks, and graceful shutdown. Transports (GraphQL, and later REST and
// feeds) plug in as handlers; this package holds no domain logic.
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/newsdesk/newsdesk/graph"
	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/feed"
	"github.com/newsdesk/newsdesk/internal/httpcache"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/rest"
	"github.com/rs/cors"
)

// Store is what the server needs of a store: public reads, search,
// editorial writes, and a readiness check.
type Store interface {
	news.Reader
	news.SearchStore
	news.Writer
	news.WebhookStore
	news.ViewStore
	Ping(ctx context.Context) error
}

// Config configures a Server.
type Config struct {
	Store Store
	// Keys authenticates API keys.
	Keys *auth.Keyring
	// Views counts article views (its owner flushes it to the store).
	Views  news.ViewCounter
	Logger *slog.Logger
	// Now is the clock that tells scheduled from published. Default time.Now.
	Now news.Clock
	// PublicURL is the site's public base URL, for absolute links in feeds
	// and sitemaps. Default http://localhost:8080.
	PublicURL string
	// SiteName titles feeds. Default "newsdesk".
	SiteName string
	// Dev serves GraphiQL at / and allows introspection.
	Dev bool
	// ShutdownTimeout bounds how long in-flight requests may take to finish
	// on shutdown. Default 15s.
	ShutdownTimeout time.Duration
}

// Server serves the newsdesk HTTP API.
type Server struct {
	cfg     Config
	handler http.Handler
}

// New builds a server and its routes.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
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
	if cfg.Keys != nil {
		// Feed readers cannot send headers: partners put their key in the URL.
		cfg.Keys.QueryKeyPaths = []string{"/feeds/"}
	}
	s := &Server{cfg: cfg}
	mux := http.NewServeMux()
	gql := graph.NewHandler(graph.Options{
		Store:         cfg.Store,
		Writer:        cfg.Store,
		Webhooks:      cfg.Store,
		ViewStore:     cfg.Store,
		Views:         cfg.Views,
		Now:           cfg.Now,
		Introspection: cfg.Dev,
		Logger:        cfg.Logger,
		RequestID:     RequestID,
	})
	mux.Handle("GET /graphql", gql)
	mux.Handle("POST /graphql", gql)
	mux.Handle("/v1/", rest.NewHandler(rest.Config{
		Store:     cfg.Store,
		Writer:    cfg.Store,
		Searcher:  &news.Searcher{Store: cfg.Store, Now: cfg.Now},
		ViewStore: cfg.Store,
		Views:     cfg.Views,
		Logger:    cfg.Logger,
		RequestID: RequestID,
		Now:       cfg.Now,
	}))
	feeds := feed.NewHandler(feed.Config{
		Store:     cfg.Store,
		PublicURL: cfg.PublicURL,
		SiteName:  cfg.SiteName,
		Logger:    cfg.Logger,
		RequestID: RequestID,
		Now:       cfg.Now,
	})
	for _, p := range []string{"/feeds/", "/sitemap.xml", "/sitemaps/", "/sitemap-news.xml"} {
		mux.Handle(p, feeds)
	}
	mux.HandleFunc("GET /livez", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		rest.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", s.readyz)
	if cfg.Dev {
		mux.Handle("GET /{$}", playground.Handler("newsdesk GraphQL", "/graphql"))
	}
	mux.HandleFunc("/", rest.NotFound)

	// Public reads may come from any origin, without credentials.
	c := cors.New(cors.Options{
		AllowedOrigins: []string{"*"},
		AllowedMethods: []string{http.MethodGet, http.MethodPost},
		AllowedHeaders: []string{"Content-Type", "Authorization", "X-Request-Id"},
		ExposedHeaders: []string{"X-Request-Id"},
		MaxAge:         600,
	})
	// Caching sees the final answer, 401s included; any request with a
	// key is answered privately.
	cached := httpcache.Middleware(httpcache.Options{Private: func(r *http.Request) bool {
		return r.Header.Get("Authorization") != "" || r.URL.Query().Has("key")
	}}, cfg.Keys.Middleware(s.authFailed, mux))
	s.handler = withRequestID(accessLog(cfg.Logger, recoverer(cfg.Logger, c.Handler(cached))))
	return s
}

// Handler returns the server's root handler, for tests and embedding.
func (s *Server) Handler() http.Handler { return s.handler }

// Serve answers requests on ln until ctx is done, then stops accepting,
// lets in-flight requests finish (up to ShutdownTimeout) and returns.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
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
	s.cfg.Logger.Info("shutting down", "timeout", s.cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	err := hs.Shutdown(sctx)
	if serveErr := <-errc; !errors.Is(serveErr, http.ErrServerClosed) && err == nil {
		err = serveErr
	}
	return err
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.cfg.Store.Ping(ctx); err != nil {
		s.cfg.Logger.WarnContext(ctx, "not ready", "err", err, "request_id", RequestID(ctx))
		rest.WriteError(w, http.StatusServiceUnavailable, "UNAVAILABLE", "store not ready")
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

// accessLog writes one structured line per request.
func accessLog(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", sw.status),
			slog.Int("bytes", sw.bytes),
			slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
			slog.String("request_id", RequestID(r.Context())),
		)
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
