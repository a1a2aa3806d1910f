package news

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"time"
)

// Webhook is a partner's endpoint that newsdesk tells of every change to
// what the public sees: publish, update, unpublish.
type Webhook struct {
	ID  int64
	URL string
	// Secret signs every delivery (HMAC-SHA256); the partner checks it.
	Secret     string
	CreatedAt  time.Time
	DisabledAt time.Time // zero while active
}

// Webhook limits.
const (
	MinSecretLen = 16
	MaxSecretLen = 200
)

// Prepare validates w for creation.
func (w *Webhook) Prepare() error {
	if !IsWebURL(w.URL) {
		return Invalid("url", "must be an absolute http(s) URL")
	}
	if n := len(w.Secret); n < MinSecretLen || n > MaxSecretLen {
		return Invalid("secret", "must be %d to %d bytes", MinSecretLen, MaxSecretLen)
	}
	return nil
}

// NewSecret returns a random webhook secret.
func NewSecret() string {
	b := make([]byte, 24)
	rand.Read(b)
	return "whsec_" + hex.EncodeToString(b)
}

// Event types.
const (
	EventPublished   = "article.published"
	EventUpdated     = "article.updated"
	EventUnpublished = "article.unpublished"
)

// ChangeEvent is the event an editorial change of old into new makes for
// partners, or "" when the public sees no change: partners hear of
// publications (scheduled ones included, with their time), of edits to
// published stories, and of published stories taken down.
func ChangeEvent(old, new *Article) string {
	wasOut, isOut := old.Status == StatusPublished, new.Status == StatusPublished
	switch {
	case !wasOut && isOut:
		return EventPublished
	case wasOut && !isOut:
		return EventUnpublished
	case wasOut && isOut:
		if old.PublishedAt.Equal(new.PublishedAt) {
			return EventUpdated
		}
		return EventPublished // rescheduled
	}
	return ""
}

// Event is what a webhook delivery carries, as JSON.
type Event struct {
	ID        string       `json:"id"`
	Type      string       `json:"type"`
	CreatedAt time.Time    `json:"createdAt"`
	Article   EventArticle `json:"article"`
}

// EventArticle is the article an event is about: enough to fetch it.
type EventArticle struct {
	ID          string     `json:"id"`
	Slug        string     `json:"slug"`
	Title       string     `json:"title"`
	PublishedAt *time.Time `json:"publishedAt"`
	UpdatedAt   time.Time  `json:"updatedAt"`
}

// NewEvent makes the event of type typ about a, with a new random id.
func NewEvent(typ string, a *Article, at time.Time) Event {
	b := make([]byte, 12)
	rand.Read(b)
	e := Event{ID: "evt_" + hex.EncodeToString(b), Type: typ, CreatedAt: at, Article: EventArticle{
		ID: NodeID(KindArticle, a.ID), Slug: a.Slug, Title: a.Title, UpdatedAt: a.UpdatedAt,
	}}
	if !a.PublishedAt.IsZero() {
		e.Article.PublishedAt = &a.PublishedAt
	}
	return e
}

// JSON encodes e.
func (e Event) JSON() []byte {
	b, _ := json.Marshal(e) // plain data always marshals
	return b
}

// DeliveryStatus is where a delivery stands.
type DeliveryStatus string

// Delivery statuses.
const (
	DeliveryPending   DeliveryStatus = "PENDING"
	DeliveryDelivered DeliveryStatus = "DELIVERED"
	DeliveryFailed    DeliveryStatus = "FAILED" // gave up after MaxAttempts
)

// Delivery is one event on its way to one webhook: the outbox row written
// in the same transaction as the change, so that nothing is lost between
// the change and the partner.
type Delivery struct {
	ID        int64
	WebhookID int64
	EventID   string
	Event     string
	Payload   []byte
	CreatedAt time.Time
	Status    DeliveryStatus
	Attempts  int
	// NextAttemptAt is when the next try is due (zero once done).
	NextAttemptAt time.Time
	DeliveredAt   time.Time
	LastStatus    int // the receiver's last HTTP status, 0 for none
	LastError     string
}

// Attempt is the outcome of one try at a delivery.
type Attempt struct {
	At     time.Time
	OK     bool
	Status int
	Error  string
	// Retry is when to try again after a failure; zero gives up.
	Retry time.Time
}

// WebhookStore keeps webhooks and their deliveries.
type WebhookStore interface {
	CreateWebhook(ctx context.Context, w *Webhook) error
	// Webhooks lists every webhook, disabled ones too.
	Webhooks(ctx context.Context) ([]*Webhook, error)
	// DisableWebhook stops deliveries to the webhook id (its history stays).
	DisableWebhook(ctx context.Context, id int64) error
	// Deliveries lists the newest deliveries to the webhook id.
	Deliveries(ctx context.Context, webhookID int64, limit int) ([]*Delivery, error)
	// DueDeliveries claims up to limit pending deliveries due at now, to
	// active webhooks, oldest first: each is held for ClaimLease, so that
	// another process polling the same store does not take it too, until
	// RecordAttempt ends the claim (or the lease runs out, if the claimer
	// died).
	DueDeliveries(ctx context.Context, now time.Time, limit int) ([]*Delivery, error)
	// RecordAttempt stores the outcome of a try at the delivery id.
	RecordAttempt(ctx context.Context, id int64, a Attempt) error
}

// ClaimLease is how long a claimed delivery is kept from other deliverers:
// longer than a whole batch of attempts takes.
const ClaimLease = 15 * time.Minute

// AttemptOutcome is what an attempt leaves a delivery with: its status,
// when to try next (zero once done) and when it was delivered (zero if
// not).
func AttemptOutcome(a Attempt) (status DeliveryStatus, next, delivered time.Time) {
	switch {
	case a.OK:
		return DeliveryDelivered, time.Time{}, a.At
	case a.Retry.IsZero():
		return DeliveryFailed, time.Time{}, time.Time{}
	}
	return DeliveryPending, a.Retry, time.Time{}
}
