package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/postgres"
	"github.com/newsdesk/newsdesk/internal/postgres/pgtest"
	"github.com/newsdesk/newsdesk/internal/webhook"
)

const hookSecret = "whsec_test-secret-for-two-replicas"

// twoReplicas opens two stores on one fresh database, as two newsdesk
// processes would, with a category and an author to write articles in.
func twoReplicas(t *testing.T) (a, b *postgres.DB) {
	t.Helper()
	u := pgtest.NewDatabase(t, "")
	a = pgtest.OpenURL(t, u, postgres.Options{})
	b = pgtest.OpenURL(t, u, postgres.Options{})
	ctx := context.Background()
	if err := a.CreateCategory(ctx, &news.Category{Name: "Thời sự"}); err != nil {
		t.Fatal(err)
	}
	if err := b.CreateAuthor(ctx, &news.Author{Name: "Thu Hà"}); err != nil {
		t.Fatal(err)
	}
	return a, b
}

// publishN creates and publishes n articles, alternating the two stores,
// and returns them.
func publishN(t *testing.T, n int, stores ...*postgres.DB) []*news.Article {
	t.Helper()
	ctx := context.Background()
	var out []*news.Article
	for i := range n {
		db := stores[i%len(stores)]
		title, cat := fmt.Sprintf("Tin số %d cho đối tác", i+1), "thoi-su"
		a, err := db.CreateArticle(ctx, news.ArticleUpdate{Title: &title, Category: &cat, Authors: []string{"thu-ha"}})
		if err != nil {
			t.Fatal(err)
		}
		if a, err = db.PublishArticle(ctx, a.ID, time.Time{}, time.Time{}); err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

// hookReceiver is a partner endpoint that counts deliveries by event id,
// notes which replica sent each, and keeps each article's events in the
// order they arrived.
type hookReceiver struct {
	mu        sync.Mutex
	byEvent   map[string]int
	byReplica map[string]int
	byArticle map[string][]string
	bad       []string
}

func (rc *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	time.Sleep(time.Millisecond) // a partner takes its time
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if err := webhook.Verify(hookSecret, r.Header, body, time.Now(), 5*time.Minute); err != nil {
		rc.bad = append(rc.bad, err.Error())
	}
	var e news.Event
	if err := json.Unmarshal(body, &e); err != nil || e.ID != r.Header.Get(webhook.HeaderEventID) {
		rc.bad = append(rc.bad, fmt.Sprintf("payload %q and header %q disagree", body, r.Header.Get(webhook.HeaderEventID)))
	}
	rc.byEvent[e.ID]++
	rc.byReplica[r.Header.Get("X-Test-Replica")]++
	rc.byArticle[e.Article.Slug] = append(rc.byArticle[e.Article.Slug], e.Type)
	w.WriteHeader(http.StatusNoContent)
}

// tagged marks every request a deliverer sends with the replica's name.
type tagged struct{ name string }

func (tg tagged) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Test-Replica", tg.name)
	return http.DefaultTransport.RoundTrip(r)
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// TestWebhookOutboxAcrossReplicas: two replicas' deliverers poll one outbox
// at the same moments; every event reaches the partner exactly once, each
// article's events in order, and every delivery is recorded delivered.
func TestWebhookOutboxAcrossReplicas(t *testing.T) {
	dbA, dbB := twoReplicas(t)
	ctx := context.Background()
	rc := &hookReceiver{byEvent: map[string]int{}, byReplica: map[string]int{}, byArticle: map[string][]string{}}
	partner := httptest.NewServer(rc)
	defer partner.Close()
	hook := &news.Webhook{URL: partner.URL, Secret: hookSecret}
	if err := dbA.CreateWebhook(ctx, hook); err != nil {
		t.Fatal(err)
	}

	// More events than one round's batch (50), written through both
	// replicas; one article also gets an edit and a take-down, which must
	// reach the partner after its publication, in order.
	articles := publishN(t, 60, dbA, dbB)
	first := articles[0]
	title := first.Title + " (cập nhật)"
	first, err := dbB.UpdateArticle(ctx, first.ID, first.UpdatedAt, news.ArticleUpdate{Title: &title})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dbA.UnpublishArticle(ctx, first.ID, first.UpdatedAt); err != nil {
		t.Fatal(err)
	}
	const want = 60 + 2

	dA := &webhook.Deliverer{Store: dbA, Logger: quiet, Client: &http.Client{Transport: tagged{"A"}, Timeout: 10 * time.Second}}
	dB := &webhook.Deliverer{Store: dbB, Logger: quiet, Client: &http.Client{Transport: tagged{"B"}, Timeout: 10 * time.Second}}
	// Each round both deliverers poll, B a little after A (the receiver
	// takes a millisecond a call, so B polls while A is still sending what
	// it claimed) or at the same moment.
	offsets := []time.Duration{15 * time.Millisecond, 0, 5 * time.Millisecond}
	rounds := 0
	for ; rounds < 20; rounds++ {
		var wg sync.WaitGroup
		errs := make([]error, 2)
		wg.Go(func() { _, errs[0] = dA.RunOnce(ctx) })
		wg.Go(func() {
			time.Sleep(offsets[rounds%len(offsets)])
			_, errs[1] = dB.RunOnce(ctx)
		})
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		dels, err := dbB.Deliveries(ctx, hook.ID, 1000)
		if err != nil {
			t.Fatal(err)
		}
		done := 0
		for _, d := range dels {
			if d.Status == news.DeliveryDelivered {
				done++
			}
		}
		if done == want {
			break
		}
	}

	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.bad) > 0 {
		t.Errorf("the receiver found: %v", rc.bad)
	}
	calls := 0
	for id, n := range rc.byEvent {
		calls += n
		if n != 1 {
			t.Errorf("event %s delivered %d times, want once", id, n)
		}
	}
	if len(rc.byEvent) != want || calls != want {
		t.Errorf("%d distinct events in %d calls after %d rounds, want %d in %d", len(rc.byEvent), calls, rounds+1, want, want)
	}
	if rc.byReplica["A"] == 0 || rc.byReplica["B"] == 0 || rc.byReplica["A"]+rc.byReplica["B"] != calls {
		t.Errorf("deliveries by replica: %v; want both to take part (60 due, 50 a round)", rc.byReplica)
	}
	if got, w := rc.byArticle[first.Slug], []string{news.EventPublished, news.EventUpdated, news.EventUnpublished}; fmt.Sprint(got) != fmt.Sprint(w) {
		t.Errorf("events of %s arrived as %v, want %v", first.Slug, got, w)
	}
	t.Logf("%d events delivered once each in %d rounds; by replica %v", calls, rounds+1, rc.byReplica)

	for _, db := range []*postgres.DB{dbA, dbB} {
		dels, err := db.Deliveries(ctx, hook.ID, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(dels) != want {
			t.Errorf("%d delivery rows, want %d", len(dels), want)
		}
		for _, d := range dels {
			if d.Status != news.DeliveryDelivered || d.Attempts != 1 || d.LastStatus != http.StatusNoContent || d.DeliveredAt.IsZero() || !d.NextAttemptAt.IsZero() {
				t.Errorf("delivery %d (%s %s): status %s, %d attempts, HTTP %d, delivered %v, next %v",
					d.ID, d.Event, d.EventID, d.Status, d.Attempts, d.LastStatus, d.DeliveredAt, d.NextAttemptAt)
			}
		}
	}
}

// TestDueDeliveriesClaims: a delivery one replica claimed is kept from the
// other for the lease, whether they claim one after the other or at the
// same moment; once the lease runs out (the claimer died), it is claimed
// again.
func TestDueDeliveriesClaims(t *testing.T) {
	dbA, dbB := twoReplicas(t)
	ctx := context.Background()
	hook := &news.Webhook{URL: "https://doitac.example.vn/hook", Secret: hookSecret}
	if err := dbA.CreateWebhook(ctx, hook); err != nil {
		t.Fatal(err)
	}
	publishN(t, 15, dbA, dbB)
	now := time.Now()
	ids := func(list []*news.Delivery) map[int64]bool {
		m := map[int64]bool{}
		for _, d := range list {
			m[d.ID] = true
		}
		return m
	}
	claim := func(db *postgres.DB, at time.Time) map[int64]bool {
		t.Helper()
		list, err := db.DueDeliveries(ctx, at, 10)
		if err != nil {
			t.Fatal(err)
		}
		return ids(list)
	}

	// One after the other: A takes 10, B the other 5 and none of A's.
	a := claim(dbA, now)
	b := claim(dbB, now)
	if len(a) != 10 || len(b) != 5 {
		t.Errorf("A claimed %d, then B %d; want 10 and 5", len(a), len(b))
	}
	for id := range b {
		if a[id] {
			t.Errorf("delivery %d claimed by A and then by B", id)
		}
	}
	if again := claim(dbA, now.Add(time.Minute)); len(again) != 0 {
		t.Errorf("%d deliveries claimed again within the lease", len(again))
	}
	// The lease runs out: every delivery is due again, to either replica.
	later := now.Add(news.ClaimLease + time.Second)
	if back := len(claim(dbB, later)) + len(claim(dbA, later)); back != 15 {
		t.Errorf("%d deliveries claimed after the lease, want 15", back)
	}

	// At the same moment: 15 more due; the two claims split them.
	publishN(t, 15, dbB, dbA)
	at := later.Add(time.Minute)
	var wg sync.WaitGroup
	var la, lb []*news.Delivery
	var errA, errB error
	wg.Go(func() { la, errA = dbA.DueDeliveries(ctx, at, 10) })
	wg.Go(func() { lb, errB = dbB.DueDeliveries(ctx, at, 10) })
	wg.Wait()
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	ca, cb := ids(la), ids(lb)
	for id := range cb {
		if ca[id] {
			t.Errorf("delivery %d claimed by both replicas at once", id)
		}
	}
	if len(ca)+len(cb) != 15 {
		t.Errorf("concurrent claims took %d and %d deliveries, want 15 between them", len(ca), len(cb))
	}
}
