package auth_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/sqlite"
	"github.com/newsdesk/newsdesk/internal/sqlite/sqlitetest"
)

func TestMain(m *testing.M) { sqlitetest.Main(m) }

func TestKeys(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.Open(t, sqlite.Options{})
	pepper := []byte("0123456789abcdef-pepper")
	k := auth.New(db, pepper)
	token, key, err := k.Create(ctx, "Cổng đối tác", news.RolePartner)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(token, "nd_1_") || len(token) != len("nd_1_")+43 || key.ID != 1 || key.Role != news.RolePartner {
		t.Fatalf("token %q, key %+v", token, key)
	}
	p, err := k.Authenticate(ctx, token)
	if err != nil || p.KeyID != 1 || p.Role != news.RolePartner || p.Name != "Cổng đối tác" {
		t.Fatalf("authenticate: %+v, %v", p, err)
	}
	// The database holds no usable secret: not the token, not the secret.
	_, hash, err := db.KeyHash(ctx, 1)
	if err != nil || len(hash) != 32 || bytes.Contains(hash, []byte(token[5:])) {
		t.Errorf("stored hash %x, %v", hash, err)
	}

	for _, bad := range []string{
		"", "nd_", "nd_1", "nd_1_", "nd_x_" + token[5:], "nd_2_" + token[5:], "nd_1_" + token[6:],
		token + "x", strings.ToUpper(token), "nd_-1_" + token[5:], "nd_1_" + strings.Repeat("A", 200),
	} {
		if _, err := k.Authenticate(ctx, bad); news.ErrorCode(err) != news.EUNAUTHENTICATED {
			t.Errorf("%q: %v, want UNAUTHENTICATED", bad, err)
		}
	}
	// Another pepper: the same token is worthless.
	if _, err := auth.New(db, []byte("another pepper, long enough")).Authenticate(ctx, token); news.ErrorCode(err) != news.EUNAUTHENTICATED {
		t.Errorf("other pepper: %v", err)
	}
	if _, _, err := k.Create(ctx, " ", news.RoleEditor); news.ErrorCode(err) != news.EINVALID {
		t.Errorf("blank name: %v", err)
	}
	if _, _, err := k.Create(ctx, "x", "owner"); news.ErrorCode(err) != news.EINVALID {
		t.Errorf("unknown role: %v", err)
	}

	if err := db.RevokeKey(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Authenticate(ctx, token); news.ErrorCode(err) != news.EUNAUTHENTICATED {
		t.Errorf("revoked: %v", err)
	}
	list, err := db.Keys(ctx)
	if err != nil || len(list) != 1 || list[0].RevokedAt.IsZero() {
		t.Errorf("keys = %+v, %v", list, err)
	}
	if err := db.RevokeKey(ctx, 7); news.ErrorCode(err) != news.ENOTFOUND {
		t.Errorf("revoke unknown: %v", err)
	}
}

func TestPepper(t *testing.T) {
	file := filepath.Join(t.TempDir(), "site.db.pepper")
	first, err := auth.Pepper("", file)
	if err != nil || len(first) != 32 {
		t.Fatalf("pepper %x, %v", first, err)
	}
	st, err := os.Stat(file)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("pepper file mode %v, %v; want 0600", st.Mode(), err)
	}
	again, err := auth.Pepper("", file)
	if err != nil || !bytes.Equal(first, again) {
		t.Errorf("second load %x, want the first %x (%v)", again, first, err)
	}
	if p, err := auth.Pepper("configured pepper value", file); err != nil || string(p) != "configured pepper value" {
		t.Errorf("configured: %q, %v", p, err)
	}
	if _, err := auth.Pepper("short", file); err == nil {
		t.Error("a short pepper was accepted")
	}
	bad := filepath.Join(t.TempDir(), "bad.pepper")
	os.WriteFile(bad, []byte("not hex"), 0o600)
	if _, err := auth.Pepper("", bad); err == nil {
		t.Error("a corrupt pepper file was accepted")
	}
}

func TestRoles(t *testing.T) {
	for _, tc := range []struct {
		have, want news.Role
		ok         bool
	}{
		{news.RoleAdmin, news.RoleEditor, true},
		{news.RoleEditor, news.RoleEditor, true},
		{news.RolePartner, news.RoleEditor, false},
		{news.RoleReader, news.RolePartner, false},
		{"owner", news.RoleReader, false},
	} {
		ctx := news.WithPrincipal(context.Background(), &news.Principal{Name: "k", Role: tc.have})
		if got := news.Can(ctx, tc.want); got != tc.ok {
			t.Errorf("%s may act as %s: %v, want %v", tc.have, tc.want, got, tc.ok)
		}
	}
	if err := news.Require(context.Background(), news.RoleReader); news.ErrorCode(err) != news.EUNAUTHENTICATED {
		t.Errorf("anonymous: %v", err)
	}
}
