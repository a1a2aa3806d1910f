package server

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// gated serves a handler behind an admission of n turns, over real HTTP:
// each request blocks until the test lets it go, and says in what order
// the requests ran.
type gated struct {
	a   *admission
	srv *httptest.Server

	mu      sync.Mutex
	order   []string
	release map[string]chan struct{} // by request
}

// let lets request n finish.
func (g *gated) let(n string) { close(g.releaser(n)) }

func (g *gated) releaser(n string) chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.release[n] == nil {
		g.release[n] = make(chan struct{})
	}
	return g.release[n]
}

// ran is how many requests have started.
func (g *gated) ran() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.order)
}

func newGated(t *testing.T, n int, timeout time.Duration) *gated {
	t.Helper()
	g := &gated{release: map[string]chan struct{}{}}
	s := &Server{}
	g.a = newAdmission(n, timeout, s.busy)
	work := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := r.URL.Query().Get("n")
		g.mu.Lock()
		g.order = append(g.order, n)
		g.mu.Unlock()
		<-g.releaser(n)
		fmt.Fprint(w, "done ", n)
	})
	h := g.a.wrap(work)
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Any key stands for an authenticated principal (the keyring's
		// middleware sets one in the server).
		if r.Header.Get("Authorization") != "" {
			r = r.WithContext(news.WithPrincipal(r.Context(), &news.Principal{KeyID: 1, Role: news.RoleEditor}))
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(g.srv.Close)
	return g
}

// until polls cond for up to five seconds.
func until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// inLine counts the goroutines waiting in a semaphore's line: blocked in
// the select of semaphore.Weighted.Acquire, which it reaches only after
// joining the line.
func inLine() int {
	buf := make([]byte, 64<<10)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	waiting := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, " [select") && strings.Contains(g, "semaphore.(*Weighted).Acquire") {
			waiting++
		}
	}
	return waiting
}

type answer struct {
	status int
	header http.Header
	body   string
}

func (g *gated) get(t *testing.T, path string, key bool) <-chan answer {
	t.Helper()
	c := make(chan answer, 1)
	req, err := http.NewRequest(http.MethodGet, g.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if key {
		req.Header.Set("Authorization", "Bearer k")
	}
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			c <- answer{body: err.Error()}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		c <- answer{resp.StatusCode, resp.Header, string(b)}
	}()
	return c
}

func TestAdmissionRunsAtMostNInArrivalOrder(t *testing.T) {
	g := newGated(t, 2, 10*time.Second)
	var answers []<-chan answer
	for i := range 8 {
		answers = append(answers, g.get(t, fmt.Sprintf("/?n=%d", i), false))
		// The next one leaves only once this one runs or waits in the
		// semaphore's line: the queued count goes up a moment before a
		// request joins it, and one sent in that moment could pass it.
		until(t, "request "+fmt.Sprint(i), func() bool {
			return g.a.running.Load()+g.a.queued.Load() == int64(i+1) && inLine() == max(i-1, 0)
		})
	}
	if r, q := g.a.running.Load(), g.a.queued.Load(); r != 2 || q != 6 {
		t.Fatalf("running %d, queued %d; want 2 and 6", r, q)
	}
	// A request with a key does not queue.
	keyed := g.get(t, "/?n=key", true)
	until(t, "the keyed request", func() bool { return g.ran() == 3 })
	// Its end frees no turn; each other's lets the next in the queue start.
	g.let("key")
	for i := range 8 {
		g.let(fmt.Sprint(i))
		until(t, fmt.Sprint("the turn request ", i, " left"), func() bool { return g.ran() == min(4+i, 9) })
	}
	for i, c := range answers {
		if a := <-c; a.status != http.StatusOK || a.body != fmt.Sprint("done ", i) {
			t.Errorf("request %d: %d %q", i, a.status, a.body)
		}
	}
	if a := <-keyed; a.body != "done key" {
		t.Errorf("keyed request: %d %q", a.status, a.body)
	}
	want := []string{"0", "1", "key", "2", "3", "4", "5", "6", "7"}
	if fmt.Sprint(g.order) != fmt.Sprint(want) {
		t.Errorf("ran in the order %v, want %v", g.order, want)
	}
	if r, q := g.a.running.Load(), g.a.queued.Load(); r != 0 || q != 0 {
		t.Errorf("after: running %d, queued %d", r, q)
	}
}

func TestAdmissionRefusesAfterTheQueueTimeout(t *testing.T) {
	g := newGated(t, 1, 50*time.Millisecond)
	first := g.get(t, "/v1/articles?n=first", false)
	until(t, "the first request", func() bool { return g.a.running.Load() == 1 })

	for _, path := range []string{"/v1/articles?n=rest", "/graphql?n=graphql"} {
		a := <-g.get(t, path, false)
		if a.status != http.StatusServiceUnavailable || a.header.Get("Retry-After") != "1" {
			t.Fatalf("%s: %d, Retry-After %q; want 503 and 1", path, a.status, a.header.Get("Retry-After"))
		}
		var body struct {
			Error  struct{ Code string }
			Errors []struct{ Extensions struct{ Code string } }
		}
		if err := json.Unmarshal([]byte(a.body), &body); err != nil {
			t.Fatalf("%s: %v in %s", path, err, a.body)
		}
		code := body.Error.Code
		if len(body.Errors) == 1 {
			code = body.Errors[0].Extensions.Code
		}
		if code != news.EUNAVAILABLE {
			t.Errorf("%s: code %q in %s", path, code, a.body)
		}
	}
	if n := g.a.timeouts.Load(); n != 2 {
		t.Errorf("timeouts %d, want 2", n)
	}
	g.let("first")
	if a := <-first; a.status != http.StatusOK {
		t.Errorf("the first request: %d %q", a.status, a.body)
	}
	// The turn is free again: the next request runs.
	next := g.get(t, "/?n=next", false)
	g.let("next")
	if a := <-next; a.body != "done next" {
		t.Errorf("after the refusals: %d %q", a.status, a.body)
	}
	if q := g.a.queued.Load(); q != 0 {
		t.Errorf("queued %d after", q)
	}
}
