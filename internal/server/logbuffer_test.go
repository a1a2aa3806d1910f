package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/server"
	"github.com/newsdesk/newsdesk/internal/server/servertest"
)

// syncBuffer is a bytes.Buffer that counts the writes it gets.
type syncBuffer struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	writes int
	// cut counts writes that did not end a line: a record split between
	// two writes, where another process's lines could land inside it.
	cut int
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.writes++
	if !bytes.HasSuffix(p, []byte("\n")) {
		b.cut++
	}
	return b.buf.Write(p)
}

func (b *syncBuffer) String() (string, int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String(), b.writes
}

// Records from many goroutines come out whole, all of them, in batches.
func TestLogBufferBatchesWholeRecords(t *testing.T) {
	out := &syncBuffer{}
	lb := server.NewLogBuffer(out, time.Hour)
	log := slog.New(slog.NewJSONHandler(lb, nil))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				log.Info("request", "g", g, "i", i, "path", strings.Repeat("x", 40))
			}
		}()
	}
	wg.Wait()
	if text, _ := out.String(); strings.Count(text, "\n") >= 4000 {
		t.Fatal("every record was written at once: nothing buffered")
	}
	if err := lb.Close(); err != nil {
		t.Fatal(err)
	}
	text, writes := out.String()
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) != 4000 {
		t.Fatalf("%d lines after Close, want 4000", len(lines))
	}
	if out.cut != 0 {
		t.Errorf("%d of %d writes ended inside a record", out.cut, writes)
	}
	seen := map[string]bool{}
	for _, l := range lines {
		var rec struct {
			Msg  string
			G, I int
		}
		if err := json.Unmarshal([]byte(l), &rec); err != nil || rec.Msg != "request" {
			t.Fatalf("a broken line: %q (%v)", l, err)
		}
		seen[fmt.Sprint(rec.G, rec.I)] = true
	}
	if len(seen) != 4000 {
		t.Errorf("%d distinct records, want 4000", len(seen))
	}
	if writes > 20 {
		t.Errorf("%d writes for 4000 records (~440 KB): not batched", writes)
	}
}

// The timer writes a quiet log out without waiting for Close.
func TestLogBufferFlushesOnTimer(t *testing.T) {
	out := &syncBuffer{}
	lb := server.NewLogBuffer(out, 10*time.Millisecond)
	defer lb.Close()
	lb.Write([]byte("one line\n"))
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if text, _ := out.String(); text == "one line\n" {
			return
		}
	}
	t.Fatal("the line never went out")
}

// Each request gets one access line: method, path, status, size, request
// id, and the id of the key that made it, never the key itself.
func TestAccessLog(t *testing.T) {
	out := &syncBuffer{}
	e := servertest.Start(t, func(c *server.Config) { c.AccessLog = slog.New(slog.NewJSONHandler(out, nil)) })
	resp, body := e.Get(t, "/v1/articles?first=2", news.RoleEditor, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	e.Get(t, "/v1/articles/no-such-story", "", nil)
	// A line is written once the handler is done, which can be after the
	// client has its answer (a large one goes out as it is written): wait
	// for both.
	var text string
	var lines []string
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		text, _ = out.String()
		lines = strings.Split(strings.TrimSuffix(text, "\n"), "\n")
		if len(lines) >= 2 || time.Now().After(deadline) {
			break
		}
	}
	if len(lines) != 2 {
		t.Fatalf("%d access lines, want 2:\n%s", len(lines), text)
	}
	type line struct {
		Msg, Method, Path, RequestID string
		Status, Bytes                int
		KeyID                        int64 `json:"key_id"`
	}
	var first, second line
	for i, p := range []*line{&first, &second} {
		if err := json.Unmarshal([]byte(lines[i]), p); err != nil {
			t.Fatal(err)
		}
		var raw map[string]any
		json.Unmarshal([]byte(lines[i]), &raw)
		p.RequestID, _ = raw["request_id"].(string)
	}
	if first.Status == 404 { // the lines can come in either order
		first, second = second, first
	}
	if first.Msg != "request" || first.Method != "GET" || first.Path != "/v1/articles" || first.Status != 200 ||
		first.Bytes != len(body) || first.KeyID == 0 || first.RequestID != resp.Header.Get("X-Request-Id") {
		t.Errorf("first line %+v (body %d bytes, request id %q)", first, len(body), resp.Header.Get("X-Request-Id"))
	}
	if second.Status != 404 || second.KeyID != 0 || second.Path != "/v1/articles/no-such-story" {
		t.Errorf("second line %+v", second)
	}
	if strings.Contains(text, e.Keys[news.RoleEditor]) {
		t.Error("the access log holds a key")
	}
}

// blockedWriter holds every Write until release is closed.
type blockedWriter struct {
	started chan struct{}
	release chan struct{}
}

func (w *blockedWriter) Write(p []byte) (int, error) {
	w.started <- struct{}{}
	<-w.release
	return len(p), nil
}

// A batch stuck in a slow write holds up no record: Write returns while
// the earlier batch is still being written.
func TestLogBufferWritesOutsideTheLock(t *testing.T) {
	w := &blockedWriter{started: make(chan struct{}, 1), release: make(chan struct{})}
	lb := server.NewLogBuffer(w, time.Hour)
	lb.Write([]byte("first\n"))
	flushed := make(chan error, 1)
	go func() { flushed <- lb.Flush() }()
	<-w.started // the first batch is being written
	wrote := make(chan struct{})
	go func() {
		lb.Write([]byte("second\n"))
		close(wrote)
	}()
	select {
	case <-wrote:
	case <-time.After(2 * time.Second):
		t.Error("Write waited for the batch being written")
	}
	close(w.release)
	if err := <-flushed; err != nil {
		t.Fatal(err)
	}
	go func() { <-w.started }()
	lb.Close()
}
