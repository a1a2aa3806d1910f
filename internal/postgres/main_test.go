package postgres_test

import (
	"testing"

	"github.com/newsdesk/newsdesk/internal/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }
