package model

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

// marshal writes m as the executor does (into a bytes.Buffer) and as any
// other writer would see it, and fails unless both agree.
func marshal(t *testing.T, m graphql.Marshaler) string {
	t.Helper()
	var buf bytes.Buffer
	buf.WriteString("prefix ")
	m.MarshalGQL(&buf)
	var sb strings.Builder
	m.MarshalGQL(&sb)
	got := strings.TrimPrefix(buf.String(), "prefix ")
	if got != sb.String() {
		t.Fatalf("bytes.Buffer got %q, another writer %q", got, sb.String())
	}
	return got
}

func TestMarshalStringAsGqlgens(t *testing.T) {
	cases := []string{
		"", "plain", `quote " and backslash \`, "tab\tcr\rnl\n", "nul\x00 bell\x07 esc\x1b unit\x1f del\x7f",
		"Đà Nẵng: người dân đổ về phố đi bộ", "<p class=\"lead\">Tin khác</p>\n<p>…</p>",
		"bad utf-8 \xff\xfe and a cut \xe1\xba", "\u2028 line separator", strings.Repeat("ắ\n", 500),
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		b := make([]byte, r.IntN(64))
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		cases = append(cases, string(b))
	}
	for _, s := range cases {
		var want bytes.Buffer
		graphql.MarshalString(s).MarshalGQL(&want)
		if got := marshal(t, MarshalString(s)); got != want.String() {
			t.Errorf("MarshalString(%q) = %s, gqlgen writes %s", s, got, want.String())
		}
	}
	// Valid UTF-8 comes out as JSON that reads back the same.
	var back string
	s := "Đường \"Trần Phú\"\n\t\x01"
	if err := json.Unmarshal([]byte(marshal(t, MarshalString(s))), &back); err != nil || back != s {
		t.Errorf("read back %q (%v), want %q", back, err, s)
	}
}

func TestMarshalDateTime(t *testing.T) {
	zone := time.FixedZone("ICT", 7*3600)
	for _, c := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(2025, 10, 10, 9, 30, 0, 0, zone), `"2025-10-10T09:30:00+07:00"`},
		{time.Date(2025, 10, 10, 9, 30, 0, 5e8, time.UTC), `"2025-10-10T09:30:00.5Z"`},
	} {
		if got := marshal(t, MarshalDateTime(c.t)); got != c.want {
			t.Errorf("MarshalDateTime(%v) = %s, want %s", c.t, got, c.want)
		}
	}
	if MarshalDateTime(time.Time{}) != graphql.Null {
		t.Error("the zero time is not null")
	}
}

func BenchmarkMarshalString(b *testing.B) {
	s := strings.Repeat("<p>Người dân Đà Nẵng đổ về phố đi bộ Bạch Đằng \"cuối tuần\".</p>\n", 30)
	for _, c := range []struct {
		name string
		m    func(string) graphql.Marshaler
	}{{"gqlgen", graphql.MarshalString}, {"newsdesk", MarshalString}} {
		b.Run(c.name, func(b *testing.B) {
			var buf bytes.Buffer
			b.SetBytes(int64(len(s)))
			for b.Loop() {
				buf.Reset()
				c.m(s).MarshalGQL(&buf)
			}
		})
	}
}
