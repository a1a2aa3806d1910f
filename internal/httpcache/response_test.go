package httpcache_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/httpcache"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/sqlite"
	"github.com/newsdesk/newsdesk/internal/sqlite/sqlitetest"
)

func TestMain(m *testing.M) { sqlitetest.Main(m) }

// slowPage serves through a response cache on a real store a handler
// whose first answer waits for release: the miss every other request
// arrives during. Each answer names its call and the request's id.
type slowPage struct {
	db      *sqlite.DB
	cache   *httpcache.ResponseCache
	srv     *httptest.Server
	calls   atomic.Int64
	status  int
	panics  bool // the first answer panics instead
	release chan struct{}
	once    sync.Once
}

// let the first answer go (once; a failed test's clean-up does it too).
func (p *slowPage) let() { p.once.Do(func() { close(p.release) }) }

func newSlowPage(t *testing.T, status int, panics bool) *slowPage {
	p := &slowPage{db: sqlitetest.OpenDemo(t, sqlite.Options{}), status: status, panics: panics, release: make(chan struct{})}
	p.cache = httpcache.NewResponseCache(p.db, 1<<20, time.Minute, nil)
	p.srv = httptest.NewUnstartedServer(p.cache.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := p.calls.Add(1)
		if n == 1 {
			<-p.release
			if p.panics {
				panic("the first answer fails")
			}
		}
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("X-Request-Id", r.Header.Get("X-Request-Id"))
		w.WriteHeader(p.status)
		fmt.Fprintf(w, "call %d for %s", n, r.Header.Get("X-Request-Id"))
	})))
	p.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the panic's
	p.srv.Start()
	t.Cleanup(p.srv.Close)
	t.Cleanup(p.let) // runs first: the server closes once its handlers return
	return p
}

type answer struct {
	status    int
	body, id  string
	requestID string
}

// get asks for /front as request id.
func (p *slowPage) get(t *testing.T, id string) answer {
	req, _ := http.NewRequest(http.MethodGet, p.srv.URL+"/front", nil)
	req.Header.Set("X-Request-Id", id)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return answer{id: id, body: err.Error()}
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, body: string(body), id: id, requestID: resp.Header.Get("X-Request-Id")}
}

// concurrently sends n requests, releases the first answer once the
// other n-1 wait for it, and returns what each got.
func (p *slowPage) concurrently(t *testing.T, n int) []answer {
	out := make([]answer, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { out[i] = p.get(t, fmt.Sprintf("r%d", i)) })
	}
	deadline := time.Now().Add(10 * time.Second)
	// Until one answers and n-1 wait for it, or some ran the handler on
	// their own.
	for (p.calls.Load() == 0 || p.cache.Stats().Waiting < int64(n-1)) && p.calls.Load() <= 1 {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d requests wait for the first", p.cache.Stats().Waiting, n-1)
		}
		time.Sleep(time.Millisecond)
	}
	// Past the counter, each is at most a few instructions from the flight.
	time.Sleep(50 * time.Millisecond)
	p.let()
	wg.Wait()
	return out
}

// TestIdenticalMissesAnsweredOnce: requests for a page that is not cached
// yet, arriving while it is being answered, wait for that answer instead of
// computing it again, and get it with its cached headers only (not the
// first request's own id).
func TestIdenticalMissesAnsweredOnce(t *testing.T) {
	p := newSlowPage(t, http.StatusOK, false)
	const n = 8
	answers := p.concurrently(t, n)
	if got := p.calls.Load(); got != 1 {
		t.Fatalf("the handler ran %d times for %d identical requests, want once", got, n)
	}
	first := ""
	for _, a := range answers {
		if a.status != http.StatusOK || a.body != answers[0].body {
			t.Errorf("%s: %d %q, want 200 %q", a.id, a.status, a.body, answers[0].body)
		}
		if a.requestID != "" && a.requestID != a.id {
			t.Errorf("%s got request id %q: another request's header", a.id, a.requestID)
		}
		if a.requestID == a.id {
			first = a.id
		}
	}
	if want := "call 1 for " + first; first == "" || answers[0].body != want {
		t.Errorf("answer %q, first request %q: want %q", answers[0].body, first, want)
	}
	s := p.cache.Stats()
	if s.Misses != 1 || s.Shared != n-1 || s.Waiting != 0 {
		t.Errorf("stats %+v, want 1 miss, %d shared, none waiting", s, n-1)
	}
	// And the answer was kept: the next request is a hit.
	if a := p.get(t, "later"); a.body != answers[0].body || p.cache.Stats().Hits != 1 {
		t.Errorf("after the miss: %q, stats %+v, want a hit", a.body, p.cache.Stats())
	}
}

// TestErrorsNotShared: an answer the cache would not keep (here a 404 that
// names its request) is not shared either; each waiting request gets its
// own.
func TestErrorsNotShared(t *testing.T) {
	p := newSlowPage(t, http.StatusNotFound, false)
	const n = 4
	for _, a := range p.concurrently(t, n) {
		if a.status != http.StatusNotFound || a.requestID != a.id || a.body[len(a.body)-len(a.id)-4:] != "for "+a.id {
			t.Errorf("%s: %d %q (request id %q), want its own 404", a.id, a.status, a.body, a.requestID)
		}
	}
	if got := p.calls.Load(); got != n {
		t.Errorf("the handler ran %d times, want %d", got, n)
	}
}

// TestPanicNotShared: when the answer the others wait for panics, the
// panic stays with its own request (whose connection net/http drops) and
// each of the others is answered on its own.
func TestPanicNotShared(t *testing.T) {
	p := newSlowPage(t, http.StatusOK, true)
	const n = 4
	failed := 0
	for _, a := range p.concurrently(t, n) {
		switch {
		case a.status == 0:
			failed++
		case a.status != http.StatusOK || a.requestID != a.id:
			t.Errorf("%s: %d %q (request id %q), want its own answer", a.id, a.status, a.body, a.requestID)
		}
	}
	if failed != 1 || p.calls.Load() != n {
		t.Errorf("%d requests failed and the handler ran %d times, want 1 and %d", failed, p.calls.Load(), n)
	}
}

// TestNoSharingAcrossAWrite: a request that arrives after a write does not
// wait for, or get, an answer begun before it.
func TestNoSharingAcrossAWrite(t *testing.T) {
	p := newSlowPage(t, http.StatusOK, false)
	before := make(chan answer, 1)
	go func() { before <- p.get(t, "before") }()
	for p.calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	title := "Tin mới"
	if _, err := p.db.CreateArticle(context.Background(), news.ArticleUpdate{Title: &title, Category: ptr("do-thi"), Authors: []string{"thu-ha"}}); err != nil {
		t.Fatal(err)
	}
	after := make(chan answer, 1)
	go func() { after <- p.get(t, "after") }()
	select {
	case a := <-after:
		if a.body != "call 2 for after" {
			t.Errorf("after the write: %q, want its own answer", a.body)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a request after the write waited for the answer begun before it")
	}
	p.let()
	if a := <-before; a.body != "call 1 for before" {
		t.Errorf("before the write: %q", a.body)
	}
}

func ptr[T any](v T) *T { return &v }
