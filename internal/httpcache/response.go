package httpcache

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsdesk/newsdesk/internal/sizedcache"
	"golang.org/x/sync/singleflight"
)

// Source tells the response cache when what it holds goes stale: the
// store's generation moves on every committed write, and the next
// scheduled story going public changes pages without any write.
type Source interface {
	Generation() uint64
	NextScheduled(ctx context.Context) (time.Time, error)
}

// ResponseCache keeps whole public GET answers in memory, bounded in bytes,
// those asked for most kept (see sizedcache). An entry is served only while the store's
// generation is the one it was made under, before the next scheduled
// publication, and within MaxAge; so a publish, an edit, an unpublish or a
// scheduled time passing shows on the very next request.
//
// A miss is answered once however many identical requests arrive while it
// is being answered: they wait for it and share its answer (request
// coalescing), so that a publish, which empties the cache, is not followed
// by every reader of the front page computing it at the same time.
type ResponseCache struct {
	src     Source
	now     func() time.Time
	maxAge  time.Duration
	entries *sizedcache.Cache[string, *entry]

	// The next scheduled publication, read once per generation.
	mu       sync.Mutex
	nextGen  uint64
	next     time.Time
	nextRead bool

	flights singleflight.Group
	// hits are answered from the cache, misses by the handler, shared by
	// an identical request's miss; waiting are waiting for one right now.
	hits, misses, shared, waiting atomic.Int64
}

type entry struct {
	key     string
	gen     uint64
	expires time.Time
	header  http.Header
	body    []byte
}

func (e *entry) size() int64 { return int64(len(e.key) + len(e.body) + 256) }

// NewResponseCache returns a cache of at most limit bytes whose entries
// live at most maxAge.
func NewResponseCache(src Source, limit int64, maxAge time.Duration, now func() time.Time) *ResponseCache {
	if now == nil {
		now = time.Now
	}
	// One answer may not crowd out the rest: at most an eighth.
	return &ResponseCache{src: src, now: now, maxAge: maxAge, entries: sizedcache.New[string](limit, limit/8, (*entry).size)}
}

// Stats are the response cache's counters.
type Stats struct {
	Hits, Misses, Shared int64 // requests answered so far, each way
	Waiting              int64 // requests waiting for an identical request's miss now
	Bytes                int64 // held
}

// Stats returns the counters so far and the bytes held.
func (c *ResponseCache) Stats() Stats {
	return Stats{Hits: c.hits.Load(), Misses: c.misses.Load(), Shared: c.shared.Load(), Waiting: c.waiting.Load(), Bytes: c.entries.Bytes()}
}

// cachedHeaders are the response headers an entry keeps, in canonical form.
var cachedHeaders = []string{"Content-Type", "Last-Modified", "Cache-Control", "Etag", "X-Content-Type-Options"}

// Middleware answers public GETs from the cache, and fills it with the
// 200 answers next gives them. Requests with a key (Authorization or
// ?key=) always go through.
func (c *ResponseCache) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if (r.Method != http.MethodGet && r.Method != http.MethodHead) || CarriesKey(r) {
			next.ServeHTTP(w, r)
			return
		}
		key := r.URL.RequestURI() + "\x00" + r.Header.Get("Accept")
		gen := c.src.Generation()
		if e := c.get(key, gen); e != nil {
			c.hits.Add(1)
			e.serve(w)
			return
		}
		// The generation is part of the flight: a request that comes after
		// a write never shares an answer begun before it.
		flight := r.Method + "\x00" + strconv.FormatUint(gen, 10) + "\x00" + key
		var bw *bufferWriter // set when this request runs the handler
		defer func() {
			if bw != nil {
				bw.release()
			}
		}()
		var panicked any
		c.waiting.Add(1) // until it turns out to be the one that answers
		v, _, _ := c.flights.Do(flight, func() (any, error) {
			c.waiting.Add(-1)
			bw = newBufferWriter(w)
			// A panic stays with its own request (the recoverer above
			// answers it); the others answer on their own.
			defer func() { panicked = recover() }()
			return c.fill(bw, r, next, key, gen), nil
		})
		if bw == nil { // another request answered
			c.waiting.Add(-1)
			if e, _ := v.(*entry); e != nil {
				c.shared.Add(1)
				e.serve(w)
				return
			}
			// Its answer was not one to share (an error may name its
			// request, and some answers are marked no-store): this one
			// runs on its own.
			bw = newBufferWriter(w)
			c.fill(bw, r, next, key, gen)
		}
		if panicked != nil {
			panic(panicked)
		}
		c.misses.Add(1)
		w.WriteHeader(bw.status)
		w.Write(bw.buf.Bytes())
	})
}

// fill runs next into bw and keeps its answer when it may be kept: a 200
// not marked no-store. It returns the entry (nil for an answer that may not
// be kept), which put may still leave out of the cache for its size;
// waiting requests get it either way.
func (c *ResponseCache) fill(bw *bufferWriter, r *http.Request, next http.Handler, key string, gen uint64) *entry {
	next.ServeHTTP(bw, r)
	h := bw.Header()
	if bw.status != http.StatusOK || strings.Contains(h.Get("Cache-Control"), "no-store") {
		return nil
	}
	if h.Get("ETag") == "" {
		h.Set("ETag", Tag(bw.buf.Bytes()))
	}
	e := &entry{key: key, gen: gen, header: http.Header{}, body: bytes.Clone(bw.buf.Bytes())}
	for _, name := range cachedHeaders {
		if v := h.Values(name); len(v) > 0 {
			e.header[name] = v
		}
	}
	c.put(r.Context(), e)
	return e
}

// serve writes the entry as a 200 answer.
func (e *entry) serve(w http.ResponseWriter) {
	for k, v := range e.header {
		w.Header()[k] = v
	}
	w.WriteHeader(http.StatusOK)
	w.Write(e.body)
}

func (c *ResponseCache) get(key string, gen uint64) *entry {
	e, ok := c.entries.Get(key)
	if !ok {
		return nil
	}
	if e.gen != gen || !c.now().Before(e.expires) {
		c.entries.Remove(key, e)
		return nil
	}
	return e
}

func (c *ResponseCache) put(ctx context.Context, e *entry) {
	now := c.now()
	e.expires = now.Add(c.maxAge)
	if next := c.nextScheduled(ctx, e.gen); !next.IsZero() && next.Before(e.expires) {
		e.expires = next
	}
	c.entries.Add(e.key, e)
}

// nextScheduled returns the next scheduled publication, asking the store
// once per generation.
func (c *ResponseCache) nextScheduled(ctx context.Context, gen uint64) time.Time {
	c.mu.Lock()
	if c.nextRead && c.nextGen == gen && (c.next.IsZero() || c.now().Before(c.next)) {
		next := c.next
		c.mu.Unlock()
		return next
	}
	c.mu.Unlock()
	next, err := c.src.NextScheduled(ctx)
	if err != nil {
		// Unknown: keep entries no longer than a second.
		return c.now().Add(time.Second)
	}
	c.mu.Lock()
	c.next, c.nextGen, c.nextRead = next, gen, true
	c.mu.Unlock()
	return next
}

// CarriesKey reports whether r may carry an API key: an Authorization
// header, or a key= in its query (where partners' feed readers put it).
// Such a request is answered privately, never from or into a shared
// cache. A query that only looks like one (?monkey=1) counts too: the
// mistake is on the safe side, and the query need not be parsed.
func CarriesKey(r *http.Request) bool {
	return r.Header.Get("Authorization") != "" || strings.Contains(r.URL.RawQuery, "key=")
}
