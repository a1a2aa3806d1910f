// Package httpcache makes newsdesk's GET responses cache-friendly: a strong
// ETag over the body, Cache-Control (public with a short max-age and
// stale-while-revalidate, or private and no-store for a keyed requester),
// Vary, 304 answers to If-None-Match, and gzip or brotli compression. It
// wraps any handler (REST, GraphQL over GET, feeds) and knows none of them.
package httpcache

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/cespare/xxhash/v2"
	lru "github.com/hashicorp/golang-lru/v2"
)

// Options configure the middleware. The zero value is usable.
type Options struct {
	// MaxAge is how long a shared cache may serve a public response
	// without asking again. Default 30s.
	MaxAge time.Duration
	// StaleWhileRevalidate is how long after that it may serve it while it
	// revalidates in the background. Default 5m.
	StaleWhileRevalidate time.Duration
	// MinSize is the smallest body compressed, in bytes. Default 1024.
	MinSize int
	// Private reports requests whose answers are for the requester alone
	// (a request with an API key): "private, no-store".
	Private func(*http.Request) bool
}

// Middleware applies the caching rules of o to next's responses.
func Middleware(o Options, next http.Handler) http.Handler {
	if o.MaxAge == 0 {
		o.MaxAge = 30 * time.Second
	}
	if o.StaleWhileRevalidate == 0 {
		o.StaleWhileRevalidate = 5 * time.Minute
	}
	if o.MinSize == 0 {
		o.MinSize = 1024
	}
	public := fmt.Sprintf("public, max-age=%d, stale-while-revalidate=%d",
		int(o.MaxAge.Seconds()), int(o.StaleWhileRevalidate.Seconds()))
	// Compressed public bodies by URL, ETag and encoding: a popular answer is compressed
	// once, not on every request.
	compressed, _ := lru.New[string, []byte](2048) // size > 0 never fails
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bw := newBufferWriter(w)
		defer bw.release()
		next.ServeHTTP(bw, r)

		h := w.Header()
		addVary(h, "Accept-Encoding", "Authorization")
		body := bw.buf.Bytes()
		// A handler that says no-store (health checks, GraphQL answers with
		// errors) gets neither a validator nor a shared-cache header.
		cacheable := (r.Method == http.MethodGet || r.Method == http.MethodHead) && bw.status == http.StatusOK &&
			!strings.Contains(h.Get("Cache-Control"), "no-store")
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			switch {
			case h.Get("Cache-Control") != "":
			case !cacheable:
				h.Set("Cache-Control", "no-store")
			case o.Private != nil && o.Private(r):
				h.Set("Cache-Control", "private, no-store")
			default:
				h.Set("Cache-Control", public)
			}
		}

		enc := ""
		if len(body) >= o.MinSize && h.Get("Content-Encoding") == "" && compressible(h.Get("Content-Type")) {
			enc = negotiate(r.Header.Get("Accept-Encoding"))
		}
		if cacheable {
			etag := h.Get("ETag")
			if etag == "" {
				etag = Tag(body)
			}
			// A strong validator names one representation: each encoding
			// gets its own.
			if enc != "" {
				etag = strings.TrimSuffix(etag, `"`) + "-" + enc + `"`
			}
			h.Set("ETag", etag)
			if NoneMatch(r.Header.Get("If-None-Match"), etag) || notModifiedSince(r, h) {
				h.Del("Content-Type")
				h.Del("Content-Length")
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		if enc != "" {
			// Only public answers are memoised, by URL and ETag: an ETag
			// names a representation of one URL, and xxHash collisions can
			// be made on purpose, so a body must never be found under
			// another URL's key.
			shared := cacheable && strings.HasPrefix(h.Get("Cache-Control"), "public")
			var key string
			var z []byte
			if shared {
				key = r.URL.RequestURI() + "\x00" + h.Get("ETag")
				z, _ = compressed.Get(key)
			}
			if z != nil {
				body = z
				h.Set("Content-Encoding", enc)
			} else {
				var out bytes.Buffer
				if err := compress(&out, enc, body); err == nil {
					body = out.Bytes()
					h.Set("Content-Encoding", enc)
					if shared {
						compressed.Add(key, body)
					}
				}
			}
		}
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(bw.status)
		if r.Method != http.MethodHead {
			w.Write(body)
		}
	})
}

// Tag returns the strong ETag of body: a hash of its bytes, so it changes
// exactly when the content does, and is the same on every server. xxHash64
// is ten times faster than SHA-256 over an article; it is not a
// cryptographic hash (collisions can be made), which an ETag need not be:
// a client compares it for one URL, and nothing here trusts it across URLs.
func Tag(body []byte) string {
	var sum [8]byte
	binary.BigEndian.PutUint64(sum[:], xxhash.Sum64(body))
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:]) + `"`
}

// NoneMatch reports whether an If-None-Match header value matches etag
// (weak comparison, as RFC 9110 asks for If-None-Match), so that the
// answer is 304.
func NoneMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	want := strings.TrimPrefix(etag, "W/")
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == want {
			return true
		}
	}
	return false
}

// notModifiedSince reports whether If-Modified-Since makes the answer a
// 304: only without If-None-Match (which takes precedence, RFC 9110
// 13.1.3), and only for a response that says when it last changed.
func notModifiedSince(r *http.Request, h http.Header) bool {
	ims, lm := r.Header.Get("If-Modified-Since"), h.Get("Last-Modified")
	if ims == "" || lm == "" || r.Header.Get("If-None-Match") != "" {
		return false
	}
	since, err1 := http.ParseTime(ims)
	modified, err2 := http.ParseTime(lm)
	return err1 == nil && err2 == nil && !modified.After(since)
}

// bufferWriter holds a response until the handler is done.
type bufferWriter struct {
	http.ResponseWriter
	status      int
	buf         *bytes.Buffer
	wroteHeader bool
}

// buffers are the HTTP layers' response buffers (this package's and the
// REST encoder's), reused: most answers are a few kilobytes, and growing a
// fresh buffer for each was a tenth of a cached answer's allocations.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// GetBuffer returns an empty buffer from the pool; give it back with
// PutBuffer once nothing holds its bytes.
func GetBuffer() *bytes.Buffer { return buffers.Get().(*bytes.Buffer) }

// PutBuffer returns b to the pool. Huge buffers (a big sitemap) are left
// to the collector.
func PutBuffer(b *bytes.Buffer) {
	if b.Cap() <= 1<<20 {
		b.Reset()
		buffers.Put(b)
	}
}

func newBufferWriter(w http.ResponseWriter) *bufferWriter {
	return &bufferWriter{ResponseWriter: w, status: http.StatusOK, buf: GetBuffer()}
}

// release returns the buffer for reuse: nothing may hold its bytes after.
func (b *bufferWriter) release() {
	PutBuffer(b.buf)
	b.buf = nil
}

func (b *bufferWriter) WriteHeader(status int) {
	if !b.wroteHeader {
		b.status, b.wroteHeader = status, true
	}
}

func (b *bufferWriter) Write(p []byte) (int, error) {
	b.wroteHeader = true
	return b.buf.Write(p)
}

// addVary adds each name to the Vary header unless it is there already.
func addVary(h http.Header, names ...string) {
	have := strings.ToLower(strings.Join(h.Values("Vary"), ","))
	for _, n := range names {
		if !strings.Contains(have, strings.ToLower(n)) {
			h.Add("Vary", n)
		}
	}
}

func compressible(contentType string) bool {
	ct := strings.ToLower(contentType)
	return strings.Contains(ct, "json") || strings.Contains(ct, "xml") || strings.HasPrefix(ct, "text/") || strings.Contains(ct, "javascript")
}

// negotiate picks the encoding Accept-Encoding prefers among br and gzip
// ("" for none): the highest q above zero, br on a tie.
func negotiate(accept string) string {
	qBr, qGzip, qAny := -1.0, -1.0, -1.0
	for _, part := range strings.Split(accept, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "br":
			qBr = q
		case "gzip", "x-gzip":
			qGzip = q
		case "*":
			qAny = q
		}
	}
	if qBr < 0 {
		qBr = qAny
	}
	if qGzip < 0 {
		qGzip = qAny
	}
	switch {
	case qBr > 0 && qBr >= qGzip:
		return "br"
	case qGzip > 0:
		return "gzip"
	}
	return ""
}

var (
	gzipPool   = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, 5); return w }}
	brotliPool = sync.Pool{New: func() any { return brotli.NewWriterLevel(nil, 4) }}
)

func compress(out *bytes.Buffer, enc string, body []byte) error {
	switch enc {
	case "br":
		w := brotliPool.Get().(*brotli.Writer)
		defer brotliPool.Put(w)
		w.Reset(out)
		if _, err := w.Write(body); err != nil {
			return err
		}
		return w.Close()
	default:
		w := gzipPool.Get().(*gzip.Writer)
		defer gzipPool.Put(w)
		w.Reset(out)
		if _, err := w.Write(body); err != nil {
			return err
		}
		return w.Close()
	}
}
