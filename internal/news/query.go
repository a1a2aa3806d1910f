package news

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// PersistedQuery is a GraphQL query registered for the allow-list: in that
// mode the server answers only registered queries (mobile apps, partners).
type PersistedQuery struct {
	Hash      string // hex SHA-256 of Query, as Apollo's persisted queries name it
	Name      string
	Query     string
	CreatedAt time.Time
}

// QueryHash is the persisted-query hash of a query text.
func QueryHash(query string) string {
	sum := sha256.Sum256([]byte(query))
	return hex.EncodeToString(sum[:])
}

// MaxQueryBytes bounds a registered query.
const MaxQueryBytes = 64 << 10

// Prepare validates q for registration and computes its hash.
func (q *PersistedQuery) Prepare() error {
	if q.Query == "" || len(q.Query) > MaxQueryBytes {
		return Invalid("query", "must be 1 to %d bytes", MaxQueryBytes)
	}
	if err := prepareText("name", &q.Name); err != nil {
		return err
	}
	q.Hash = QueryHash(q.Query)
	return nil
}

// QueryStore keeps the registered queries.
type QueryStore interface {
	// RegisterQuery stores q (registering the same text again is a no-op).
	RegisterQuery(ctx context.Context, q *PersistedQuery) error
	// PersistedQuery returns the query with the hash, or NOT_FOUND.
	PersistedQuery(ctx context.Context, hash string) (*PersistedQuery, error)
	PersistedQueries(ctx context.Context) ([]*PersistedQuery, error)
}
