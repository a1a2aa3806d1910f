package news

import (
	"context"
	"time"
)

// Role is what an API key may do. Roles are ordered: each may do what the
// ones before it may.
type Role string

// Roles, weakest first.
const (
	// RoleReader reads what the public reads (a key only identifies the
	// client, say for its own rate limit).
	RoleReader Role = "reader"
	// RolePartner also gets full-text feeds and syndication.
	RolePartner Role = "partner"
	// RoleEditor also writes: articles, authors, tags; and previews drafts
	// and scheduled stories.
	RoleEditor Role = "editor"
	// RoleAdmin also manages keys and categories.
	RoleAdmin Role = "admin"
)

// Roles lists every role, weakest first.
var Roles = []Role{RoleReader, RolePartner, RoleEditor, RoleAdmin}

func (r Role) rank() int {
	for i, x := range Roles {
		if x == r {
			return i + 1
		}
	}
	return 0
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r.rank() > 0 }

// Includes reports whether r may do what want may.
func (r Role) Includes(want Role) bool { return r.Valid() && r.rank() >= want.rank() }

// APIKey is a stored API key; its secret is never kept, only a keyed hash.
type APIKey struct {
	ID        int64
	Name      string
	Role      Role
	CreatedAt time.Time
	RevokedAt time.Time // zero while the key is valid
}

// Prepare validates k for creation.
func (k *APIKey) Prepare() error {
	if err := prepareName("name", &k.Name); err != nil {
		return err
	}
	if !k.Role.Valid() {
		return Invalid("role", "must be one of reader, partner, editor, admin; got %q", k.Role)
	}
	return nil
}

// KeyStore stores API keys.
type KeyStore interface {
	// CreateKey stores k with the keyed hash of its secret and sets k.ID
	// and k.CreatedAt.
	CreateKey(ctx context.Context, k *APIKey, hash []byte) error
	// KeyHash returns the key id and its stored hash, or NOT_FOUND; a
	// revoked key is returned with RevokedAt set.
	KeyHash(ctx context.Context, id int64) (*APIKey, []byte, error)
	// Keys lists every key, revoked ones too, oldest first.
	Keys(ctx context.Context) ([]*APIKey, error)
	// RevokeKey revokes the key id at once; NOT_FOUND if there is none.
	RevokeKey(ctx context.Context, id int64) error
}

// Principal is who makes a request: the key it authenticated with.
type Principal struct {
	KeyID int64
	Name  string
	Role  Role
}

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal of ctx, or nil for an anonymous
// request.
func PrincipalFrom(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

// Require returns nil when the request ctx belongs to may act as role:
// UNAUTHENTICATED without a key, FORBIDDEN with a key whose role is weaker.
func Require(ctx context.Context, role Role) error {
	p := PrincipalFrom(ctx)
	switch {
	case p == nil:
		return Errorf(EUNAUTHENTICATED, "this needs an API key with the %s role (Authorization: Bearer <key>)", role)
	case !p.Role.Includes(role):
		return Errorf(EFORBIDDEN, "this needs the %s role; the key %q has the %s role", role, p.Name, p.Role)
	}
	return nil
}

// Can reports whether the request ctx belongs to may act as role.
func Can(ctx context.Context, role Role) bool { return Require(ctx, role) == nil }

// EditorName returns the name the request's changes are recorded under: the
// key's name, or "" for none.
func EditorName(ctx context.Context) string {
	if p := PrincipalFrom(ctx); p != nil {
		return p.Name
	}
	return ""
}

// ReaderFor returns the reader for the request ctx belongs to: the editors'
// preview (drafts and scheduled stories too) for a key with the editor
// role, the public reader for everyone else.
func ReaderFor(ctx context.Context, public Reader, w Writer) Reader {
	if w != nil && Can(ctx, RoleEditor) {
		return w.Preview()
	}
	return public
}
