// Package rest is the JSON REST API under /v1, for mobile apps: small,
// stable shapes over the same domain services as GraphQL. Handlers decode,
// call the domain, and encode; they hold no SQL. Caching headers and
// compression are added around them by the server (internal/httpcache).
package rest

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/newsdesk/newsdesk/internal/contenthash"
	"github.com/newsdesk/newsdesk/internal/httpcache"
	"github.com/newsdesk/newsdesk/internal/news"
)

// Config configures the REST handler.
type Config struct {
	Store    news.Reader
	Writer   news.Writer // editors' previews
	Searcher *news.Searcher
	// ViewStore and Views serve most-read lists and count views.
	ViewStore news.ViewStore
	Views     news.ViewCounter
	Logger    *slog.Logger
	// RequestID returns the id of the request ctx belongs to.
	RequestID func(ctx context.Context) string
	// Now tells scheduled from published. Default time.Now.
	Now news.Clock
	// Pieces, when set, keeps each listed article's JSON (see writeList),
	// in the cache the GraphQL fragments and feed items share.
	Pieces *contenthash.Cache
}

type handler struct{ cfg Config }

// NewHandler returns the /v1 handler.
func NewHandler(cfg Config) http.Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.RequestID == nil {
		cfg.RequestID = func(context.Context) string { return "" }
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	h := &handler{cfg: cfg}
	mux := http.NewServeMux()
	for pattern, fn := range map[string]func(http.ResponseWriter, *http.Request) error{
		"GET /v1/articles":                h.articles,
		"GET /v1/articles/{slug}":         h.article,
		"GET /v1/articles/{slug}/related": h.related,
		"GET /v1/categories":              h.categories,
		"GET /v1/categories/{slug}":       h.category,
		"GET /v1/authors/{slug}":          h.author,
		"GET /v1/tags/{slug}":             h.tag,
		"GET /v1/search":                  h.search,
		"GET /v1/most-read":               h.mostRead,
		"POST /v1/articles/{slug}/views":  h.countView,
		"GET /v1/openapi.json":            h.openapi,
	} {
		mux.HandleFunc(pattern, h.serve(fn))
	}
	mux.HandleFunc("/v1/", NotFound)
	return mux
}

// NotFound answers a request no route takes, in JSON: 405 with Allow for a
// method other than GET or HEAD (everything but GraphQL is read-only), 404
// for anything else.
func NotFound(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		WriteError(w, http.StatusMethodNotAllowed, EMETHOD, r.Method+" is not answered here: GET and HEAD only")
		return
	}
	WriteError(w, http.StatusNotFound, news.ENOTFOUND, "no such endpoint: "+r.URL.Path)
}

// EMETHOD is the error code of a method the API does not answer.
const EMETHOD = "METHOD_NOT_ALLOWED"

// serve adapts a handler that returns an error.
func (h *handler) serve(fn func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return Handle(h.cfg.Logger, h.cfg.RequestID, fn)
}

// Handle adapts an HTTP handler that returns an error: a domain error
// becomes its status and JSON body, anything else a logged 500 naming the
// request id and nothing more. Every non-GraphQL endpoint answers errors
// through it.
func Handle(log *slog.Logger, requestID func(context.Context) string, fn func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := fn(w, r)
		if err == nil {
			return
		}
		d := ErrorDetail{Code: news.ErrorCode(err), Message: news.ErrorMessage(err)}
		var de *news.Error
		if errors.As(err, &de) {
			d.Field = de.Field
		}
		if d.Code == news.EINTERNAL {
			id := requestID(r.Context())
			log.ErrorContext(r.Context(), "internal error", "err", err, "path", r.URL.Path, "request_id", id)
			d.Message = "internal error (request " + id + ")"
		}
		WriteJSON(w, Status(d.Code), ErrorBody{Error: d})
	}
}

// Status is the HTTP status of an error code: the one table every HTTP
// endpoint maps domain errors with.
func Status(code string) int {
	switch code {
	case news.EINVALID:
		return http.StatusBadRequest
	case news.EUNAUTHENTICATED:
		return http.StatusUnauthorized
	case news.EFORBIDDEN:
		return http.StatusForbidden
	case news.ENOTFOUND:
		return http.StatusNotFound
	case news.ECONFLICT:
		return http.StatusConflict
	case news.ERATELIMITED:
		return http.StatusTooManyRequests
	case news.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	case EMETHOD:
		return http.StatusMethodNotAllowed
	}
	return http.StatusInternalServerError
}

// WriteJSON writes v as the JSON body of a response with status. HTML in
// strings (article bodies) goes out as it is, not as \u003c escapes, which
// made bodies a fifth longer to send and to parse: the answer is
// application/json with nosniff, never HTML.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	buf := httpcache.GetBuffer()
	defer httpcache.PutBuffer(buf)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		buf.Reset()
		status = http.StatusInternalServerError
		buf.WriteString(`{"error":{"code":"INTERNAL","message":"internal error"}}` + "\n")
	}
	writeBody(w, status, buf.Bytes())
}

// writeBody writes an encoded JSON answer with its headers.
func writeBody(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(body)
}

// ErrorBody is the JSON body of every error answer outside GraphQL.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail says what went wrong: a stable code and a message for people.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// WriteError writes the JSON error body with status.
func WriteError(w http.ResponseWriter, status int, code, message string) {
	WriteJSON(w, status, ErrorBody{Error: ErrorDetail{Code: code, Message: message}})
}

func (h *handler) reader(r *http.Request) news.Reader {
	return news.ReaderFor(r.Context(), h.cfg.Store, h.cfg.Writer)
}

//go:embed openapi.json
var openapiDoc []byte

// OpenAPI returns the OpenAPI 3.1 description of the API.
func OpenAPI() []byte { return openapiDoc }

func (h *handler) openapi(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err := w.Write(openapiDoc)
	return err
}
