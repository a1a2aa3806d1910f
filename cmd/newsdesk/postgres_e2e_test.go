package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/postgres/pgtest"
	"github.com/newsdesk/newsdesk/internal/ratelimit"
)

// e2ePepper is the pepper every process of the end-to-end test shares, as
// replicas of one site must.
const e2ePepper = "e2e-pepper-shared-by-both-replicas"

// buildNewsdesk compiles the command into dir: the end-to-end test runs it
// as separate processes, as a deployment does.
func buildNewsdesk(t *testing.T, dir string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build newsdesk with")
	}
	exe := filepath.Join(dir, "newsdesk")
	start := time.Now()
	if out, err := exec.Command(goTool, "build", "-o", exe, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("built newsdesk in %s", time.Since(start).Round(time.Millisecond))
	return exe
}

// newsdeskCmd runs a one-shot command of the binary and returns its stdout.
func newsdeskCmd(t *testing.T, exe string, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(exe, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("newsdesk %s: %v\n%s", args[0], err, stderr.String())
	}
	return stdout.String()
}

// replica is a "newsdesk serve" process, and what an anonymous client has
// spent of its rate budget.
type replica struct {
	name string
	addr string
	cmd  *exec.Cmd
	done chan struct{} // closed once the process has exited
	err  error         // the process's exit, once done

	logMu sync.Mutex
	log   []string // its stderr, line by line

	// Answers to anonymous requests: every one that was not a 429 took a
	// token from the one bucket this client (127.0.0.1) has here.
	spent     int
	first     time.Time // when the first anonymous request was sent
	refusedAt time.Time // when the first 429 came back
}

// startReplica starts "newsdesk serve" with args on a free port and waits
// for its "listening" log line; the process gets SIGTERM when the test
// ends, and must exit cleanly.
func startReplica(t *testing.T, name, exe string, args ...string) *replica {
	t.Helper()
	r := &replica{name: name, done: make(chan struct{})}
	r.cmd = exec.Command(exe, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	stderr, err := r.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addrc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			r.logMu.Lock()
			r.log = append(r.log, sc.Text())
			r.logMu.Unlock()
			var line struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "listening" {
				addrc <- line.Addr
			}
		}
		io.Copy(io.Discard, stderr)
		r.err = r.cmd.Wait() // after the last read of the pipe, as Wait requires
		close(r.done)
	}()
	t.Cleanup(func() { r.stop(t) })
	select {
	case r.addr = <-addrc:
	case <-r.done:
		t.Fatalf("replica %s exited before listening: %v\n%s", name, r.err, r.logTail(20))
	case <-time.After(20 * time.Second):
		t.Fatalf("replica %s never said where it listens\n%s", name, r.logTail(20))
	}
	return r
}

// stop sends SIGTERM and waits for a clean exit.
func (r *replica) stop(t *testing.T) {
	select {
	case <-r.done:
	default:
		r.cmd.Process.Signal(syscall.SIGTERM)
	}
	select {
	case <-r.done:
		if r.err != nil {
			t.Errorf("replica %s exited with %v after SIGTERM\n%s", r.name, r.err, r.logTail(20))
		}
	case <-time.After(20 * time.Second):
		r.cmd.Process.Kill()
		<-r.done
		t.Errorf("replica %s did not exit within 20 s of SIGTERM; killed\n%s", r.name, r.logTail(20))
	}
}

func (r *replica) logTail(n int) string {
	r.logMu.Lock()
	defer r.logMu.Unlock()
	return strings.Join(r.log[max(len(r.log)-n, 0):], "\n")
}

var e2eClient = &http.Client{Timeout: 10 * time.Second}

// get makes an anonymous GET and keeps the rate-limit account.
func (r *replica) get(t *testing.T, path string) (int, http.Header, []byte) {
	t.Helper()
	sent := time.Now()
	resp, err := e2eClient.Get("http://" + r.addr + path)
	if err != nil {
		t.Fatalf("replica %s: GET %s: %v", r.name, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("replica %s: GET %s: %v", r.name, path, err)
	}
	if r.first.IsZero() {
		r.first = sent
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		if r.refusedAt.IsZero() {
			r.refusedAt = time.Now()
		}
	} else {
		r.spent++
	}
	return resp.StatusCode, resp.Header, body
}

// waitReady polls /readyz until it answers 200.
func (r *replica) waitReady(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		status, _, body := r.get(t, "/readyz")
		if status == http.StatusOK {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("replica %s: /readyz still %d: %s\n%s", r.name, status, body, r.logTail(20))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// listSlugs returns the slugs of the home list, /v1/articles?limit=5.
func (r *replica) listSlugs(t *testing.T) []string {
	t.Helper()
	status, _, body := r.get(t, "/v1/articles?limit=5")
	if status != http.StatusOK {
		t.Fatalf("replica %s: home list %d: %s", r.name, status, body)
	}
	var list struct{ Items []struct{ Slug string } }
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range list.Items {
		out = append(out, it.Slug)
	}
	return out
}

// TestTwoReplicasOnOnePostgres runs what a scaled-out deployment runs: two
// newsdesk processes on one PostgreSQL database. An article published
// through one shows on the other at once, although the other had cached
// the page before (LISTEN/NOTIFY); and an anonymous client spread over both
// gets the anonymous budget once, not once per replica (--replicas 2).
func TestTwoReplicasOnOnePostgres(t *testing.T) {
	db := pgtest.NewDatabase(t, "")
	exe := buildNewsdesk(t, t.TempDir())
	if out := newsdeskCmd(t, exe, "seed", "--demo", "--db", db); !strings.Contains(out, "demo content loaded") {
		t.Fatalf("seed --demo: %s", out)
	}
	out := strings.Split(strings.TrimSpace(newsdeskCmd(t, exe, "keys", "create", "--role", "editor", "--name", "e2e", "--db", db, "--pepper", e2ePepper)), "\n")
	key := out[len(out)-1]
	if !strings.HasPrefix(key, "nd_1_") {
		t.Fatalf("keys create: last line %q, want the key", key)
	}

	args := []string{"--db", db, "--pepper", e2ePepper, "--replicas", "2", "--rate-limit", "on", "--production"}
	a := startReplica(t, "A", exe, args...)
	b := startReplica(t, "B", exe, args...)
	a.waitReady(t)
	b.waitReady(t)

	// Stories published through A, one after the other: each shows on B
	// although B had its home list cached (see publishAndWatch). Without
	// A's notification B would keep its cached list for up to 30 s, past
	// publishAndWatch's 2 s; the typical delay is asserted too.
	var delays []time.Duration
	for i := range 5 {
		delays = append(delays, publishAndWatch(t, a, b, key, i))
	}
	slices.Sort(delays)
	if median := delays[len(delays)/2]; median > 250*time.Millisecond {
		t.Errorf("B showed stories published through A after %v: a median of %v, as if nothing told it of A's writes", delays, median)
	}
	t.Logf("B showed the stories published through A after %v", delays)

	// An anonymous client hammers both replicas in turn until both refuse.
	whole := ratelimit.DefaultBudgets[""]
	share := ratelimit.Share(ratelimit.DefaultBudgets, 2)[""]
	hammerStart := time.Now()
	requests := 0
	for a.refusedAt.IsZero() || b.refusedAt.IsZero() {
		for _, r := range []*replica{a, b} {
			if !r.refusedAt.IsZero() {
				continue
			}
			requests++
			status, h, body := r.get(t, "/v1/categories")
			switch status {
			case http.StatusOK:
			case http.StatusTooManyRequests:
				if s, err := strconv.Atoi(h.Get("Retry-After")); err != nil || s < 1 {
					t.Errorf("replica %s: 429 with Retry-After %q", r.name, h.Get("Retry-After"))
				}
				if got := h.Get("X-RateLimit-Limit"); got != strconv.Itoa(share.PerMinute) {
					t.Errorf("replica %s: X-RateLimit-Limit %q, want its share %d", r.name, got, share.PerMinute)
				}
			default:
				t.Fatalf("replica %s: /v1/categories %d: %s", r.name, status, body)
			}
		}
		if requests > 4*whole.Burst {
			t.Fatalf("%d anonymous requests and not refused by both (A spent %d, B %d)", requests, a.spent, b.spent)
		}
	}
	// Each replica lets through its share of the burst, plus what refilled
	// since the client's first request there; together, the whole burst
	// once (plus refill), not once per replica.
	total, slack := 0, 0
	for _, r := range []*replica{a, b} {
		refill := int(math.Ceil(r.refusedAt.Sub(r.first).Seconds() * float64(share.PerMinute) / 60))
		if r.spent < share.Burst || r.spent > share.Burst+refill+1 {
			t.Errorf("replica %s let %d anonymous requests through before refusing, want %d..%d (its share of the burst, plus refill)",
				r.name, r.spent, share.Burst, share.Burst+refill+1)
		}
		total += r.spent
		slack += refill + 1
	}
	if total > whole.Burst+slack || total <= whole.Burst/2 {
		t.Errorf("both replicas together let %d anonymous requests through, want at most the burst %d plus %d refilled", total, whole.Burst, slack)
	}
	t.Logf("anonymous: A let %d through, B %d, total %d before both refused (burst %d, refill slack %d); hammering took %s",
		a.spent, b.spent, total, whole.Burst, slack, time.Since(hammerStart).Round(time.Millisecond))

	// A key has its own budget: the editor still gets through B.
	var viewer struct {
		Data struct{ Viewer struct{ Name string } }
	}
	if status := graphql(t, b.addr, key, `{ viewer { name } }`, &viewer); status != http.StatusOK || viewer.Data.Viewer.Name != "e2e" {
		t.Errorf("the editor's key on B after the anonymous client was refused: %d %+v", status, viewer)
	}
}

// publishAndWatch creates the i-th story of the test through A and checks
// the public sees nothing of the draft on either replica, with B's and A's
// home lists cached (each asked twice: the second answer comes from the
// response cache); then publishes it through A. A shows it on its very next
// request; B within 2 s, polled. It returns how long B took to list it.
func publishAndWatch(t *testing.T, a, b *replica, key string, i int) time.Duration {
	t.Helper()
	title := fmt.Sprintf("Tin hai máy chủ số %d (%d)", i+1, time.Now().UnixNano())
	var created struct {
		Data struct {
			CreateArticle struct {
				Article struct{ ID, Slug, Status string }
			}
		}
		Errors []struct{ Message string }
	}
	graphql(t, a.addr, key, fmt.Sprintf(`mutation { createArticle(input: {title: %q, category: "do-thi", authors: ["thu-ha"]}) { article { id slug status } } }`, title), &created)
	art := created.Data.CreateArticle.Article
	if art.ID == "" || art.Slug == "" || art.Status != "DRAFT" || len(created.Errors) > 0 {
		t.Fatalf("createArticle through A: %+v", created)
	}
	if status, _, body := b.get(t, "/v1/articles/"+art.Slug); status != http.StatusNotFound {
		t.Fatalf("B served the draft before publication: %d %s", status, body)
	}
	for range 2 {
		if slices.Contains(b.listSlugs(t), art.Slug) || slices.Contains(a.listSlugs(t), art.Slug) {
			t.Fatal("a draft is in the home list")
		}
	}

	var published struct {
		Data struct {
			PublishArticle struct{ Article struct{ Status string } }
		}
		Errors []struct{ Message string }
	}
	graphql(t, a.addr, key, fmt.Sprintf(`mutation { publishArticle(id: %q) { article { status } } }`, art.ID), &published)
	publishedAt := time.Now()
	if published.Data.PublishArticle.Article.Status != "PUBLISHED" || len(published.Errors) > 0 {
		t.Fatalf("publishArticle through A: %+v", published)
	}
	if !slices.Contains(a.listSlugs(t), art.Slug) {
		t.Error("A's home list misses the story A just published")
	}
	// Polled through the cached home list, every 50 ms: a poll is an
	// anonymous request, and B's share of that budget must last the test.
	for !slices.Contains(b.listSlugs(t), art.Slug) {
		if time.Since(publishedAt) > 2*time.Second {
			t.Fatalf("2 s after publishing %s through A, B's home list still misses it", art.Slug)
		}
		time.Sleep(50 * time.Millisecond)
	}
	seen := time.Since(publishedAt)
	status, _, body := b.get(t, "/v1/articles/"+art.Slug)
	var got struct{ Title string }
	json.Unmarshal(body, &got)
	if status != http.StatusOK || got.Title != title {
		t.Fatalf("B lists %s but answers it %d: %s", art.Slug, status, body)
	}
	return seen
}
