package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/demo"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/server/servertest"
	"github.com/newsdesk/newsdesk/internal/sqlite"
	"github.com/newsdesk/newsdesk/internal/sqlite/sqlitetest"
	"github.com/newsdesk/newsdesk/internal/webhook"
)

func TestMain(m *testing.M) { sqlitetest.Main(m) }

func TestSignAndVerify(t *testing.T) {
	body := []byte(`{"id":"evt_1"}`)
	now := time.Unix(1_800_000_000, 0)
	sig := webhook.Sign("whsec_0123456789abcdef", now.Unix(), body)
	if !strings.HasPrefix(sig, "v1=") || len(sig) != 3+64 {
		t.Fatalf("signature %q", sig)
	}
	h := http.Header{}
	h.Set(webhook.HeaderTimestamp, "1800000000")
	h.Set(webhook.HeaderSignature, sig)
	if err := webhook.Verify("whsec_0123456789abcdef", h, body, now.Add(time.Minute), 5*time.Minute); err != nil {
		t.Errorf("a good delivery: %v", err)
	}
	for name, tc := range map[string]struct {
		secret string
		body   []byte
		at     time.Time
	}{
		"other secret":  {"whsec_another-secret-value", body, now},
		"changed body":  {"whsec_0123456789abcdef", []byte(`{"id":"evt_2"}`), now},
		"replayed late": {"whsec_0123456789abcdef", body, now.Add(time.Hour)},
	} {
		if err := webhook.Verify(tc.secret, h, tc.body, tc.at, 5*time.Minute); err == nil {
			t.Errorf("%s: verified", name)
		}
	}
}

// receiver is a partner endpoint that fails its first `fail` calls.
type receiver struct {
	mu     sync.Mutex
	fail   int
	calls  int
	events []news.Event
	bad    []string
	secret string
	now    func() time.Time
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.calls++
	if err := webhook.Verify(rc.secret, r.Header, body, rc.now(), 5*time.Minute); err != nil {
		rc.bad = append(rc.bad, err.Error())
	}
	if rc.calls <= rc.fail {
		http.Error(w, "partner down", http.StatusServiceUnavailable)
		return
	}
	var e news.Event
	if err := json.Unmarshal(body, &e); err != nil || r.Header.Get(webhook.HeaderEventID) != e.ID || r.Header.Get(webhook.HeaderEvent) != e.Type {
		rc.bad = append(rc.bad, "payload and headers disagree")
	}
	rc.events = append(rc.events, e)
	w.WriteHeader(http.StatusNoContent)
}

func (rc *receiver) got() (int, []news.Event, []string) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.calls, append([]news.Event(nil), rc.events...), append([]string(nil), rc.bad...)
}

// gql runs a GraphQL request with the key of role.
func gql(t *testing.T, e *servertest.Env, role news.Role, query string, vars map[string]any, out any) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, e.Srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+e.Keys[role])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r struct {
		Data   json.RawMessage
		Errors []struct {
			Message    string
			Extensions map[string]any
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatal(err)
	}
	if len(r.Errors) > 0 {
		t.Fatalf("%s: %+v", query, r.Errors)
	}
	if out != nil {
		if err := json.Unmarshal(r.Data, out); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDeliveryRetriesUntilTheReceiverAnswers(t *testing.T) {
	e := servertest.Start(t)
	ctx := context.Background()
	rc := &receiver{fail: 2, now: e.Clock.Now}
	partner := httptest.NewServer(rc)
	defer partner.Close()

	var created struct {
		CreateWebhook struct {
			Webhook struct{ ID, URL string }
			Secret  string
		}
	}
	gql(t, e, news.RoleAdmin, `mutation($u: String!) { createWebhook(input: {url: $u}) { webhook { id url } secret } }`,
		map[string]any{"u": partner.URL}, &created)
	rc.secret = created.CreateWebhook.Secret
	if !strings.HasPrefix(rc.secret, "whsec_") || created.CreateWebhook.Webhook.URL != partner.URL {
		t.Fatalf("createWebhook: %+v", created)
	}

	// Publish, edit, take down; an edit to a draft tells partners nothing.
	a, err := e.DB.CreateArticle(ctx, news.ArticleUpdate{Title: ptr("Tin gửi đối tác"), Category: ptr("do-thi"), Authors: []string{"thu-ha"}})
	if err != nil {
		t.Fatal(err)
	}
	a, _ = e.DB.UpdateArticle(ctx, a.ID, a.UpdatedAt, news.ArticleUpdate{Excerpt: ptr("Bản nháp")})
	a, _ = e.DB.PublishArticle(ctx, a.ID, time.Time{}, time.Time{})
	a, _ = e.DB.UpdateArticle(ctx, a.ID, a.UpdatedAt, news.ArticleUpdate{Title: ptr("Tin gửi đối tác (cập nhật)")})
	if _, err := e.DB.UnpublishArticle(ctx, a.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}

	d := &webhook.Deliverer{Store: e.DB, Now: e.Clock.Now, Logger: quiet}
	run := func() int {
		t.Helper()
		n, err := d.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// The first event meets the outage twice: retried after 10 s, then 20
	// s; the two after it wait their turn (events about one article go in
	// order), then go.
	if n := run(); n != 1 {
		t.Errorf("first round tried %d deliveries, want 1 (the others wait for it)", n)
	}
	if n := run(); n != 0 {
		t.Errorf("%d deliveries retried before their backoff", n)
	}
	e.Clock.Add(10 * time.Second)
	run()
	e.Clock.Add(20 * time.Second)
	for range 3 {
		run()
	}
	calls, events, bad := rc.got()
	if len(bad) > 0 {
		t.Errorf("receiver found: %v", bad)
	}
	want := []string{news.EventPublished, news.EventUpdated, news.EventUnpublished}
	if len(events) != 3 {
		t.Fatalf("%d events delivered (%d calls), want 3", len(events), calls)
	}
	for i, ev := range events {
		if ev.Type != want[i] || ev.Article.Slug != a.Slug || ev.Article.ID != news.NodeID(news.KindArticle, a.ID) {
			t.Errorf("event %d: %+v, want %s", i, ev, want[i])
		}
	}
	if events[1].Article.Title != "Tin gửi đối tác (cập nhật)" {
		t.Errorf("update event title %q", events[1].Article.Title)
	}

	var status struct {
		Webhooks []struct {
			Disabled   bool
			Deliveries []struct {
				Event, Status      string
				Attempts           int
				LastStatus         int
				DeliveredAt        *string
				NextAttemptAt      *string
				EventID, LastError string
			}
		}
	}
	gql(t, e, news.RoleAdmin, `{ webhooks { disabled deliveries { event status attempts lastStatus deliveredAt nextAttemptAt eventId lastError } } }`, nil, &status)
	dels := status.Webhooks[0].Deliveries
	if len(dels) != 3 {
		t.Fatalf("deliveries %+v", dels)
	}
	first := dels[2] // newest first
	if first.Event != news.EventPublished || first.Status != "DELIVERED" || first.Attempts != 3 || first.LastStatus != 204 ||
		first.DeliveredAt == nil || first.NextAttemptAt != nil || first.EventID != events[0].ID {
		t.Errorf("the published event's delivery: %+v", first)
	}
	// Only admins see or change webhooks.
	body, _ := json.Marshal(map[string]any{"query": `{ webhooks { id } }`})
	req, _ := http.NewRequest(http.MethodPost, e.Srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+e.Keys[news.RoleEditor])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Contains(raw, []byte(`"FORBIDDEN"`)) {
		t.Errorf("an editor listing webhooks: %s", raw)
	}

	// Disabled: no more deliveries.
	gql(t, e, news.RoleAdmin, `mutation($id: ID!) { disableWebhook(id: $id) { webhook { disabled } } }`, map[string]any{"id": created.CreateWebhook.Webhook.ID}, nil)
	if _, err := e.DB.PublishArticle(ctx, a.ID, time.Time{}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if n := run(); n != 0 {
		t.Errorf("%d deliveries to a disabled webhook", n)
	}
}

func TestGivesUpAfterMaxAttempts(t *testing.T) {
	e := servertest.Start(t)
	ctx := context.Background()
	rc := &receiver{fail: 1000, now: e.Clock.Now, secret: "whsec_fixed-secret-for-test"}
	partner := httptest.NewServer(rc)
	defer partner.Close()
	if err := e.DB.CreateWebhook(ctx, &news.Webhook{URL: partner.URL, Secret: rc.secret}); err != nil {
		t.Fatal(err)
	}
	a, _ := e.DB.CreateArticle(ctx, news.ArticleUpdate{Title: ptr("Tin lỗi"), Category: ptr("do-thi"), Authors: []string{"thu-ha"}})
	if _, err := e.DB.PublishArticle(ctx, a.ID, time.Time{}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	d := &webhook.Deliverer{Store: e.DB, Now: e.Clock.Now, Logger: quiet, MaxAttempts: 3}
	for range 5 {
		if _, err := d.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		e.Clock.Add(time.Hour)
	}
	calls, _, _ := rc.got()
	dels, _ := e.DB.Deliveries(ctx, 1, 10)
	if calls != 3 || len(dels) != 1 || dels[0].Status != news.DeliveryFailed || dels[0].Attempts != 3 || dels[0].LastStatus != 503 || dels[0].LastError == "" {
		t.Errorf("%d calls; deliveries %+v", calls, dels)
	}
}

// TestNoEventLostAcrossRestart: the change commits with its outbox row; the
// process dies before any delivery; the next process delivers it.
func TestNoEventLostAcrossRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "site.db")
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	rc := &receiver{now: time.Now, secret: "whsec_fixed-secret-for-test"}
	partner := httptest.NewServer(rc)
	defer partner.Close()
	if err := db.CreateWebhook(ctx, &news.Webhook{URL: partner.URL, Secret: rc.secret}); err != nil {
		t.Fatal(err)
	}
	draft, err := db.Preview().ArticleBySlug(ctx, "kinh-te-bien-tiep-tuc-la-dong-luc-tang-truong-cua-thanh-pho")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.PublishArticle(ctx, draft.ID, time.Time{}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil { // the process ends: nothing delivered
		t.Fatal(err)
	}
	if calls, _, _ := rc.got(); calls != 0 {
		t.Fatalf("%d calls before any deliverer ran", calls)
	}

	db, err = sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		(&webhook.Deliverer{Store: db, Interval: 10 * time.Millisecond, Logger: quiet}).Run(runCtx)
		close(done)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, events, _ := rc.got(); len(events) == 1 {
			if events[0].Type != news.EventPublished || events[0].Article.Slug != draft.Slug {
				t.Errorf("event %+v", events[0])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the event committed before the restart was never delivered")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
}

func ptr[T any](v T) *T { return &v }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))
