package sqlite_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/demo"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/sqlite"
)

// crashEnv names the database a crash child writes to.
const crashEnv = "NEWSDESK_CRASH_CHILD_DB"

// TestCrashSafety runs a child process that writes and publishes stories
// under concurrent reads, acknowledging each one on stdout once its
// transaction has committed, and kills it with SIGKILL at a random moment,
// round after round. After every kill the database must pass its integrity
// checks and hold every acknowledged story, published and searchable.
func TestCrashSafety(t *testing.T) {
	if os.Getenv(crashEnv) != "" {
		t.Skip("the child runs TestCrashChild")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	db.Close()

	rounds := 6
	if testing.Short() {
		rounds = 3
	}
	var acked []string
	for round := range rounds {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashEnv+"="+path, fmt.Sprintf("NEWSDESK_CRASH_ROUND=%d", round))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		var got []string
		done := make(chan struct{})
		go func() {
			defer close(done)
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				if slug, ok := strings.CutPrefix(sc.Text(), "ack "); ok {
					mu.Lock()
					got = append(got, slug)
					mu.Unlock()
				}
			}
		}()
		// Kill at a random moment once writes are under way.
		deadline := time.Now().Add(20 * time.Second)
		for {
			mu.Lock()
			n := len(got)
			mu.Unlock()
			if n > 0 || time.Now().After(deadline) {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(time.Duration(20+rand.IntN(300)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		<-done
		mu.Lock()
		if len(got) == 0 {
			t.Fatalf("round %d: the child acknowledged no write", round)
		}
		acked = append(acked, got...)
		mu.Unlock()

		db, err := sqlite.Open(ctx, path, sqlite.Options{})
		if err != nil {
			t.Fatalf("round %d: reopen after the kill: %v", round, err)
		}
		if err := db.IntegrityCheck(ctx); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		for _, slug := range acked {
			a, err := db.ArticleBySlug(ctx, slug)
			if err != nil {
				t.Fatalf("round %d: acknowledged story %s lost: %v", round, slug, err)
			}
			if a.Status != news.StatusPublished {
				t.Fatalf("round %d: %s is %s", round, slug, a.Status)
			}
		}
		hits, err := (&news.Searcher{Store: db}).Search(ctx, news.SearchRequest{Query: "crashtest", Order: news.OrderNewest}, news.Page{Limit: 1})
		if err != nil || len(hits.Items) == 0 {
			t.Fatalf("round %d: search lost the stories: %v", round, err)
		}
		db.Close()
		t.Logf("round %d: %d acknowledged writes survived (%d in all)", round, len(got), len(acked))
	}
}

// TestCrashChild is the process TestCrashSafety kills: it writes until
// killed, acknowledging each committed story.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("run by TestCrashSafety")
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// Readers, as a live site has.
	for range 4 {
		go func() {
			for {
				db.FindArticles(ctx, news.ArticleFilter{Category: "thoi-su"}, news.Page{Limit: 20})
				(&news.Searcher{Store: db}).Search(ctx, news.SearchRequest{Query: "crashtest"}, news.Page{Limit: 10})
			}
		}()
	}
	round := os.Getenv("NEWSDESK_CRASH_ROUND")
	for i := 0; ; i++ {
		a, err := db.CreateArticle(ctx, news.ArticleUpdate{
			Title:    ptr(fmt.Sprintf("Crashtest vòng %s bài %d", round, i)),
			BodyHTML: ptr("<p>" + strings.Repeat("Nội dung kiểm tra độ bền. ", 50) + "</p>"),
			Category: ptr("do-thi"), Authors: []string{"thu-ha"}, Tags: []string{"Crashtest"},
		})
		if err == nil {
			a, err = db.PublishArticle(ctx, a.ID, time.Time{}, time.Time{})
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Printf("ack %s\n", a.Slug)
	}
}
