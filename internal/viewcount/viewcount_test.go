package viewcount_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/server/servertest"
	"github.com/newsdesk/newsdesk/internal/sqlite/sqlitetest"
)

func TestMain(m *testing.M) { sqlitetest.Main(m) }

const (
	seed    = "so-thong-tin-va-truyen-thong-tap-huan-cong-tac-thong-tin-doi-ngoai" // chinh-tri, under thoi-su
	tourism = "quang-ba-am-thuc-hai-phong-tai-hoi-cho-du-lich-quoc-te"             // du-lich
	jobs    = "hai-phong-ho-tro-nguoi-lao-dong-mat-viec-tim-kiem-viec-lam-moi"     // xa-hoi
)

// view counts one view over REST, or over GraphQL when gql is set.
func view(t *testing.T, e *servertest.Env, slug string, gql bool) int {
	t.Helper()
	var resp *http.Response
	var err error
	if gql {
		body, _ := json.Marshal(map[string]any{"query": `mutation($s: String!) { countView(slug: $s) }`, "variables": map[string]any{"s": slug}})
		resp, err = http.Post(e.Srv.URL+"/graphql", "application/json", bytes.NewReader(body))
	} else {
		resp, err = http.Post(e.Srv.URL+"/v1/articles/"+slug+"/views", "application/json", nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func mostRead(t *testing.T, e *servertest.Env, query string) []string {
	t.Helper()
	resp, body := e.Get(t, "/v1/most-read?"+query, "", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("most-read?%s: %d %s", query, resp.StatusCode, body)
	}
	var l struct{ Items []struct{ Slug string } }
	if err := json.Unmarshal(body, &l); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range l.Items {
		out = append(out, it.Slug)
	}
	return out
}

func TestMostReadWindows(t *testing.T) {
	e := servertest.Start(t)
	ctx := context.Background()
	// A month ago-ish: the tourism story, 5 views.
	for range 5 {
		if s := view(t, e, tourism, false); s != http.StatusAccepted {
			t.Fatalf("POST views: %d", s)
		}
	}
	if got := mostRead(t, e, "period=month"); len(got) != 0 {
		t.Errorf("views counted before a flush: %v (they are batched)", got)
	}
	if err := e.Views.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	e.Clock.Add(10 * 24 * time.Hour)
	// Ten days later: the seed story 3 views, over GraphQL.
	for range 3 {
		view(t, e, seed, true)
	}
	if err := e.Views.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	e.Clock.Add(3 * 24 * time.Hour)
	// Three days later: the jobs story, 1 view.
	view(t, e, jobs, false)
	if err := e.Views.Flush(ctx); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"", []string{jobs}},
		{"period=day", []string{jobs}},
		{"period=week", []string{seed, jobs}},
		{"period=month", []string{tourism, seed, jobs}},
		{"period=month&limit=2", []string{tourism, seed}},
		{"period=month&category=thoi-su", []string{seed}},
		{"period=month&category=du-lich", []string{tourism}},
	} {
		if got := mostRead(t, e, tc.query); !slices.Equal(got, tc.want) {
			t.Errorf("most-read?%s = %v, want %v", tc.query, got, tc.want)
		}
	}
	var data struct {
		Data struct{ MostRead []struct{ Slug string } }
	}
	resp, body := e.Get(t, `/graphql?query={mostRead(period:WEEK,first:5){slug}}`, "", nil)
	if resp.StatusCode != 200 || json.Unmarshal(body, &data) != nil || len(data.Data.MostRead) != 2 || data.Data.MostRead[0].Slug != seed {
		t.Errorf("GraphQL mostRead: %s", body)
	}

	// Bad input, and views of what the public cannot see.
	for _, q := range []string{"period=year", "limit=0", "limit=51"} {
		if resp, _ := e.Get(t, "/v1/most-read?"+q, "", nil); resp.StatusCode != 400 {
			t.Errorf("most-read?%s: %d, want 400", q, resp.StatusCode)
		}
	}
	if s := view(t, e, "kinh-te-bien-tiep-tuc-la-dong-luc-tang-truong-cua-thanh-pho", false); s != http.StatusNotFound {
		t.Errorf("viewing a draft: %d, want 404", s)
	}
	if s := view(t, e, "khong-co", false); s != http.StatusNotFound {
		t.Errorf("viewing nothing: %d, want 404", s)
	}
}

func TestFlushKeepsViewsOnFailure(t *testing.T) {
	e := servertest.Start(t)
	ctx := context.Background()
	view(t, e, seed, false)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := e.Views.Flush(cancelled); err == nil {
		t.Fatal("a flush with a cancelled context succeeded")
	}
	if err := e.Views.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if got := mostRead(t, e, "period=day"); !slices.Equal(got, []string{seed}) {
		t.Errorf("after a failed flush and a good one: %v", got)
	}
}
