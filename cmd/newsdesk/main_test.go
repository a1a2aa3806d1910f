package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeDemo runs the program as a user would: serve --demo on a new
// database file, on a free port, then a query, then shutdown.
func TestServeDemo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "site.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--demo"}, io.Discard, pw)
		pw.Close()
	}()

	addr := ""
	sc := bufio.NewScanner(pr)
	for addr == "" && sc.Scan() {
		var line struct{ Msg, Addr string }
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "listening" {
			addr = line.Addr
		}
	}
	if addr == "" {
		t.Fatalf("server never said where it listens: %v", <-done)
	}
	go io.Copy(io.Discard, pr)

	resp, err := http.Post("http://"+addr+"/graphql", "application/json",
		strings.NewReader(`{"query":"{ articles(first: 2) { totalCount nodes { title } } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Data struct {
			Articles struct {
				TotalCount int
				Nodes      []struct{ Title string }
			}
		}
	}
	json.NewDecoder(resp.Body).Decode(&out)
	resp.Body.Close()
	if out.Data.Articles.TotalCount != 40 || len(out.Data.Articles.Nodes) != 2 {
		t.Errorf("demo server answered %+v", out.Data)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after shutdown, want nil", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not shut down")
	}

	// A second start on the same file keeps the content and loads no more.
	var stdout bytes.Buffer
	if err := run(context.Background(), []string{"seed", "--db", db, "--demo"}, &stdout, io.Discard); err == nil {
		t.Error("seed --demo on a database with content succeeded, want an error")
	}
}

func TestSeedSyntheticAndMigrate(t *testing.T) {
	db := filepath.Join(t.TempDir(), "load.db")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"seed", "--db", db, "--synthetic", "500"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "500 synthetic articles") {
		t.Errorf("seed output: %s", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"migrate", "--db", db}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "schema up to date") {
		t.Errorf("migrate output: %s", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"reindex", "--db", db}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "rebuilt over 500 published articles") {
		t.Errorf("reindex output: %s", out.String())
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"frobnicate"},
		{"seed", "--db", filepath.Join(t.TempDir(), "x.db")},
		{"serve", "--no-such-flag"},
	} {
		if err := run(context.Background(), args, io.Discard, io.Discard); err == nil {
			t.Errorf("run %v succeeded, want an error", args)
		}
	}
}
