// Package auth issues and checks newsdesk's API keys. A key reads
// nd_<id>_<secret>; the store keeps only HMAC-SHA256(pepper, secret), with a
// server-wide pepper that never enters the database, so a leaked database
// (or backup) holds no usable key. Keys are checked in constant time.
//
// It knows nothing of GraphQL or REST: Middleware puts the request's
// news.Principal in its context, and the domain's news.Require decides.
package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Keyring issues and checks keys against a store.
type Keyring struct {
	store  news.KeyStore
	pepper []byte
	// QueryKeyPaths are path prefixes where a key may also come as ?key=
	// (feed readers cannot send headers). Elsewhere it must not: URLs end
	// up in logs and histories.
	QueryKeyPaths []string
}

// New returns a keyring over store with the given pepper.
func New(store news.KeyStore, pepper []byte) *Keyring {
	return &Keyring{store: store, pepper: pepper}
}

// secretLen is the length of a key's secret in random bytes.
const secretLen = 32

func (k *Keyring) hash(secret string) []byte {
	m := hmac.New(sha256.New, k.pepper)
	m.Write([]byte(secret))
	return m.Sum(nil)
}

// Create stores a new key and returns it with its full secret token: the
// only time the token exists outside the client.
func (k *Keyring) Create(ctx context.Context, name string, role news.Role) (string, *news.APIKey, error) {
	raw := make([]byte, secretLen)
	if _, err := rand.Read(raw); err != nil {
		return "", nil, err
	}
	secret := base64.RawURLEncoding.EncodeToString(raw)
	key := &news.APIKey{Name: name, Role: role}
	if err := k.store.CreateKey(ctx, key, k.hash(secret)); err != nil {
		return "", nil, err
	}
	return "nd_" + strconv.FormatInt(key.ID, 10) + "_" + secret, key, nil
}

// errInvalid is the one answer for every key that does not authenticate:
// which part was wrong is not the client's business.
var errInvalid = news.Errorf(news.EUNAUTHENTICATED, "invalid or revoked API key")

// Authenticate checks a token made by Create and returns who it belongs to.
func (k *Keyring) Authenticate(ctx context.Context, token string) (*news.Principal, error) {
	rest, ok := strings.CutPrefix(token, "nd_")
	if !ok || len(token) > 100 {
		return nil, errInvalid
	}
	ids, secret, ok := strings.Cut(rest, "_")
	id, err := strconv.ParseInt(ids, 10, 64)
	if !ok || err != nil || id <= 0 || secret == "" {
		return nil, errInvalid
	}
	key, stored, err := k.store.KeyHash(ctx, id)
	if news.ErrorCode(err) == news.ENOTFOUND {
		return nil, errInvalid
	}
	if err != nil {
		return nil, err
	}
	if !hmac.Equal(k.hash(secret), stored) || !key.RevokedAt.IsZero() {
		return nil, errInvalid
	}
	return &news.Principal{KeyID: key.ID, Name: key.Name, Role: key.Role}, nil
}

// FromRequest authenticates the request's "Authorization: Bearer <key>"
// header, or its ?key= on the QueryKeyPaths. A request without either is
// anonymous: nil principal, nil error. A nil keyring knows no key.
func (k *Keyring) FromRequest(r *http.Request) (*news.Principal, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		if token := k.queryKey(r); token != "" {
			return k.Authenticate(r.Context(), token)
		}
		return nil, nil
	}
	if k == nil {
		return nil, errInvalid
	}
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return nil, news.Errorf(news.EUNAUTHENTICATED, "the Authorization header must be \"Bearer <key>\"")
	}
	return k.Authenticate(r.Context(), strings.TrimSpace(token))
}

// queryKey returns the ?key= of a request on a QueryKeyPath.
func (k *Keyring) queryKey(r *http.Request) string {
	if k == nil || !strings.Contains(r.URL.RawQuery, "key=") {
		return ""
	}
	for _, p := range k.QueryKeyPaths {
		if strings.HasPrefix(r.URL.Path, p) {
			return r.URL.Query().Get("key")
		}
	}
	return ""
}

// Middleware puts the principal of every request with a key in its
// context. A key that does not authenticate is answered by fail, never
// served as anonymous: a client that sends a key means to use it.
func (k *Keyring) Middleware(fail func(w http.ResponseWriter, r *http.Request, err error), next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := k.FromRequest(r)
		if err != nil {
			fail(w, r, err)
			return
		}
		if p != nil {
			r = r.WithContext(news.WithPrincipal(r.Context(), p))
		}
		next.ServeHTTP(w, r)
	})
}

// MinPepperLen is the shortest pepper accepted.
const MinPepperLen = 16

// Pepper returns the server pepper: value when set, else the one kept in
// file, which is created with a new random pepper (mode 0600) if it does
// not exist. Losing the pepper invalidates every key.
func Pepper(value, file string) ([]byte, error) {
	if value != "" {
		if len(value) < MinPepperLen {
			return nil, fmt.Errorf("pepper: must be at least %d bytes", MinPepperLen)
		}
		return []byte(value), nil
	}
	b, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		raw := make([]byte, 32)
		if _, err := rand.Read(raw); err != nil {
			return nil, err
		}
		// Written whole to a temporary file, then linked into place, which
		// fails if another process got there first: then use theirs.
		tmp, err := os.CreateTemp(filepath.Dir(file), ".pepper-*")
		if err != nil {
			return nil, fmt.Errorf("pepper: %w", err)
		}
		defer os.Remove(tmp.Name())
		_, err = tmp.WriteString(hex.EncodeToString(raw) + "\n")
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Link(tmp.Name(), file)
		}
		if errors.Is(err, fs.ErrExist) {
			return Pepper("", file)
		}
		if err != nil {
			return nil, fmt.Errorf("pepper: %w", err)
		}
		return raw, nil
	}
	if err != nil {
		return nil, fmt.Errorf("pepper: %w", err)
	}
	raw, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(raw) < MinPepperLen {
		return nil, fmt.Errorf("pepper: %s does not hold a hex pepper of at least %d bytes", file, MinPepperLen)
	}
	return raw, nil
}
