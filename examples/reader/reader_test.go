package reader_test

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/newsdesk/newsdesk/examples/reader"
	"github.com/newsdesk/newsdesk/graph"
	"github.com/newsdesk/newsdesk/internal/server/servertest"
	"github.com/newsdesk/newsdesk/internal/sqlite"
	"github.com/newsdesk/newsdesk/internal/sqlite/sqlitetest"
)

func TestMain(m *testing.M) { sqlitetest.Main(m) }

const (
	seedSlug  = "so-thong-tin-va-truyen-thong-tap-huan-cong-tac-thong-tin-doi-ngoai"
	seedTitle = "Sở Thông tin và Truyền thông tập huấn công tác thông tin đối ngoại"
)

// browser starts headless Chromium with a fresh profile and temp dir, or
// skips the test where there is none.
func browser(t *testing.T) context.Context {
	t.Helper()
	var path string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		t.Skip("no Chromium found (apt-get install chromium); the browser tests need one")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		// Its singleton socket goes in TMPDIR, left behind otherwise.
		chromedp.Env("TMPDIR="+t.TempDir()),
		chromedp.WindowSize(1280, 1600),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelTimeout)
	return ctx
}

// screenshot saves the page under $NEWSDESK_ARTIFACTS (default: a folder
// in the system temp dir) as a test artifact.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("NEWSDESK_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "newsdesk-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, name)
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", file)
}

// open loads a page of the reader and waits until it has rendered route
// (the hash it is on, or "error").
func open(t *testing.T, ctx context.Context, url, route string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url), ready(route)); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
}

func ready(route string) chromedp.Action[chromedp.Void] {
	return chromedp.WaitVisible(chromedp.CSS(`body[data-ready="` + route + `"]`))
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("%s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// TestReaderInBrowser opens the reader on its own origin against a real
// newsdesk server with the demo content.
func TestReaderInBrowser(t *testing.T) {
	ctx := browser(t)
	api := servertest.Start(t)
	site := httptest.NewServer(reader.Handler(api.Srv.URL))
	defer site.Close()

	// Home: the latest stories of each category.
	open(t, ctx, site.URL+"/", "#/")
	if n := eval[int](t, ctx, `document.querySelectorAll(".story").length`); n < 8 {
		t.Errorf("home shows %d stories", n)
	}
	screenshot(t, ctx, "reader-home.png")

	// The sample article: title, captioned photo, "Tin khác", dd/mm/yyyy.
	open(t, ctx, site.URL+"/#/a/"+seedSlug, "#/a/"+seedSlug)
	title, caption, published := text(t, ctx, "h1.title"), text(t, ctx, ".body figcaption"), text(t, ctx, "article.full time")
	related := eval[int](t, ctx, `document.querySelectorAll(".related li").length`)
	if title != seedTitle || !strings.Contains(caption, "Nhà báo Lê Nghiêm") || related == 0 || published != "10/10/2025" {
		t.Errorf("article: title %q, caption %q, %d related, date %q", title, caption, related, published)
	}
	screenshot(t, ctx, "reader-article.png")

	// A category page: "load more" appends the next page, no repeats.
	links := func() []string {
		return eval[[]string](t, ctx, `[...document.querySelectorAll("#list .story h3 a")].map(a => a.getAttribute("href"))`)
	}
	open(t, ctx, site.URL+"/#/c/thoi-su", "#/c/thoi-su")
	first := links()
	// Clicked from script: a mouse click at computed coordinates can miss
	// while broken demo images still shift the layout.
	eval[any](t, ctx, `document.getElementById("more").click()`)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelectorAll("#list .story").length > `+strconv.Itoa(len(first)))); err != nil {
		t.Fatal(err)
	}
	all := links()
	seen := map[string]bool{}
	for _, h := range all {
		if seen[h] {
			t.Errorf("%s listed twice after load more", h)
		}
		seen[h] = true
	}
	if len(first) != 6 || len(all) <= len(first) {
		t.Errorf("load more: %d then %d stories", len(first), len(all))
	}

	// Search without accents finds the accented story, highlighted.
	open(t, ctx, site.URL+"/", "#/")
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#q"), "duong kinh")); err != nil {
		t.Fatal(err)
	}
	eval[any](t, ctx, `document.getElementById("search").requestSubmit()`)
	if err := chromedp.Do(ctx, ready("#/s/duong%20kinh")); err != nil {
		t.Fatal(err)
	}
	hit := text(t, ctx, ".result h3")
	if marks := eval[int](t, ctx, `document.querySelectorAll(".result mark").length`); !strings.Contains(hit, "Dương Kinh") || marks == 0 {
		t.Errorf("search: first hit %q, %d highlights", hit, marks)
	}
	screenshot(t, ctx, "reader-search.png")
}

// TestReaderShowsRefusal points the page at a server whose CORS policy
// refuses its origin (a GraphQL handler that sends no CORS headers): the
// page must say so, not hang.
func TestReaderShowsRefusal(t *testing.T) {
	ctx := browser(t)
	db := sqlitetest.OpenDemo(t, sqlite.Options{})
	refusing := httptest.NewServer(graph.NewHandler(graph.Options{Store: db, Writer: db}))
	defer refusing.Close()
	site := httptest.NewServer(reader.Handler(refusing.URL))
	defer site.Close()

	start := time.Now()
	open(t, ctx, site.URL+"/", "error")
	if msg := text(t, ctx, "#error"); !strings.Contains(msg, "Không kết nối được") || !strings.Contains(msg, refusing.URL) {
		t.Errorf("error shown: %q", msg)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the error took %s", d)
	}
	screenshot(t, ctx, "reader-refused.png")
}
