// Package webhook delivers partner webhook events from the store's outbox:
// each delivery is a signed JSON POST, retried with exponential backoff
// until the receiver answers 2xx or the attempts run out. Events about one
// article reach a webhook in order (the store holds a delivery back while
// an earlier one is pending). Deliveries are at least once: a crash between the POST and recording it repeats the
// POST, so receivers dedupe by the event id (Newsdesk-Event-Id).
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Headers of a delivery.
const (
	HeaderEvent     = "Newsdesk-Event"
	HeaderEventID   = "Newsdesk-Event-Id"
	HeaderDelivery  = "Newsdesk-Delivery"
	HeaderTimestamp = "Newsdesk-Timestamp"
	HeaderSignature = "Newsdesk-Signature"
)

// Sign returns the signature of a delivery body sent at ts (Unix seconds):
// "v1=" and the hex HMAC-SHA256, keyed with the webhook's secret, of
// "<ts>.<body>". Signing the time stops a captured delivery from being
// replayed later; receivers reject timestamps older than a few minutes.
func Sign(secret string, ts int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(ts, 10)))
	m.Write([]byte("."))
	m.Write(body)
	return "v1=" + hex.EncodeToString(m.Sum(nil))
}

// Verify checks a delivery as a receiver would: the signature matches and
// the timestamp is within tolerance of now.
func Verify(secret string, header http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	ts, err := strconv.ParseInt(header.Get(HeaderTimestamp), 10, 64)
	if err != nil {
		return fmt.Errorf("webhook: bad timestamp")
	}
	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("webhook: timestamp outside tolerance")
	}
	if !hmac.Equal([]byte(Sign(secret, ts, body)), []byte(header.Get(HeaderSignature))) {
		return fmt.Errorf("webhook: bad signature")
	}
	return nil
}

// Deliverer sends due deliveries.
type Deliverer struct {
	Store  news.WebhookStore
	Client *http.Client // default: 10 s timeout
	Now    news.Clock
	Logger *slog.Logger
	// Interval is how often the outbox is polled. Default 1s.
	Interval time.Duration
	// MaxAttempts is how many tries a delivery gets. Default 12: with the
	// backoff, about 10 hours of trying.
	MaxAttempts int
	// Backoff is the wait after the nth failed attempt. Default: 10 s
	// doubling, at most 2 hours.
	Backoff func(n int) time.Duration
}

func (d *Deliverer) defaults() {
	if d.Client == nil {
		d.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Interval == 0 {
		d.Interval = time.Second
	}
	if d.MaxAttempts == 0 {
		d.MaxAttempts = 12
	}
	if d.Backoff == nil {
		d.Backoff = func(n int) time.Duration {
			return min(10*time.Second<<min(n-1, 20), 2*time.Hour)
		}
	}
}

// Run delivers until ctx ends.
func (d *Deliverer) Run(ctx context.Context) {
	d.defaults()
	t := time.NewTicker(d.Interval)
	defer t.Stop()
	for {
		if _, err := d.RunOnce(ctx); err != nil && ctx.Err() == nil {
			d.Logger.ErrorContext(ctx, "webhook deliveries", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// batch bounds the deliveries one round sends.
const batch = 50

// RunOnce sends the deliveries due now and records each outcome; it returns
// how many it tried.
func (d *Deliverer) RunOnce(ctx context.Context) (int, error) {
	d.defaults()
	due, err := d.Store.DueDeliveries(ctx, d.Now(), batch)
	if err != nil {
		return 0, err
	}
	if len(due) == 0 {
		return 0, nil
	}
	hooks, err := d.Store.Webhooks(ctx)
	if err != nil {
		return 0, err
	}
	byID := make(map[int64]*news.Webhook, len(hooks))
	for _, h := range hooks {
		byID[h.ID] = h
	}
	for _, del := range due {
		h := byID[del.WebhookID]
		if h == nil {
			continue
		}
		a := d.send(ctx, h, del)
		if !a.OK && del.Attempts+1 < d.MaxAttempts {
			a.Retry = a.At.Add(d.Backoff(del.Attempts + 1))
		}
		if !a.OK {
			d.Logger.WarnContext(ctx, "webhook delivery failed", "webhook", h.ID, "delivery", del.ID,
				"event", del.Event, "attempt", del.Attempts+1, "status", a.Status, "err", a.Error, "retry", !a.Retry.IsZero())
		}
		if err := d.Store.RecordAttempt(ctx, del.ID, a); err != nil {
			return 0, err
		}
	}
	return len(due), nil
}

// send makes one attempt.
func (d *Deliverer) send(ctx context.Context, h *news.Webhook, del *news.Delivery) news.Attempt {
	now := d.Now()
	a := news.Attempt{At: now}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(del.Payload))
	if err != nil {
		a.Error = err.Error()
		return a
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "newsdesk-webhooks/1")
	req.Header.Set(HeaderEvent, del.Event)
	req.Header.Set(HeaderEventID, del.EventID)
	req.Header.Set(HeaderDelivery, strconv.FormatInt(del.ID, 10))
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
	req.Header.Set(HeaderSignature, Sign(h.Secret, now.Unix(), del.Payload))
	resp, err := d.Client.Do(req)
	if err != nil {
		a.Error = err.Error()
		return a
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	a.Status = resp.StatusCode
	a.OK = resp.StatusCode >= 200 && resp.StatusCode < 300
	if !a.OK {
		a.Error = "receiver answered " + resp.Status
	}
	return a
}
