package sqlite_test

import (
	"testing"

	"github.com/newsdesk/newsdesk/internal/sqlite/sqlitetest"
)

func TestMain(m *testing.M) { sqlitetest.Main(m) }

// seedSlug is the demo's sample article (the page in shared/content).
const seedSlug = "so-thong-tin-va-truyen-thong-tap-huan-cong-tac-thong-tin-doi-ngoai"

func ptr[T any](v T) *T { return &v }
