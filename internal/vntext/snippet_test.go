package vntext

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// snippetOfAll is Snippet as it was first written: every word of the text
// split, then the best window chosen. Snippet stops splitting once a
// window holds every term and must still choose the same window.
func snippetOfAll(m Matcher, text string, size int) string {
	words := m.scan(text)
	if len(words) == 0 {
		return ""
	}
	w := newWindow(len(m.Terms))
	for i := 0; i < size && i < len(words); i++ {
		w.add(words[i], 1)
	}
	best, bestScore := 0, w.distinct
	for i := 1; i+size <= len(words); i++ {
		w.add(words[i-1], -1)
		w.add(words[i+size-1], 1)
		if words[i].term >= 0 && w.distinct > bestScore {
			best, bestScore = i, w.distinct
		}
	}
	return passage(text, words, best, size)
}

func TestSnippetAsWholeText(t *testing.T) {
	vocab := strings.Fields("Dương Kinh đường mới cầu Hải Phòng thành phố dự án khởi công năm nay người dân 2026 <b> & đồng động")
	r := rand.New(rand.NewPCG(7, 8))
	for n := range 3000 {
		var b strings.Builder
		for range r.IntN(120) {
			b.WriteString(vocab[r.IntN(len(vocab))])
			b.WriteString([]string{" ", " ", ", ", ". ", "\n"}[r.IntN(5)])
		}
		text := b.String()
		var m Matcher
		for range 1 + r.IntN(4) {
			if term := Terms(vocab[r.IntN(len(vocab))]); len(term) > 0 && !strings.Contains(strings.Join(m.Terms, " "), term[0]) {
				m.Terms = append(m.Terms, term[0])
			}
		}
		m.Prefix = r.IntN(2) == 0
		size := 1 + r.IntN(35)
		if got, want := m.Snippet(text, size), snippetOfAll(m, text, size); got != want {
			t.Fatalf("case %d: Snippet(%q, %d) with %v:\n got %q\nwant %q", n, text, size, m, got, want)
		}
	}
}

// BenchmarkSnippet highlights a lead and body of about 5 KB whose lead
// holds the terms, as most top search results' do.
func BenchmarkSnippet(b *testing.B) {
	lead := "Dự án đường Dương Kinh nối với cầu mới sẽ khởi công trong năm nay, người dân Hải Phòng chờ đợi."
	body := strings.Repeat("Thành phố đã hoàn thành nhiều hạng mục của dự án, các đơn vị thi công bảo đảm tiến độ và an toàn giao thông. ", 45)
	text := lead + "\n" + body
	m := Matcher{Terms: Terms("duong kinh"), Prefix: true}
	b.ReportAllocs()
	for b.Loop() {
		m.Snippet(text, 30)
	}
}

// BenchmarkEach matches a title and a lead against a two-term query, as
// relevance ranking does for each of its candidates.
func BenchmarkEach(b *testing.B) {
	text := "Khởi công dự án đường Dương Kinh nối với cầu mới: người dân Hải Phòng chờ đợi " +
		"Dự án đường Dương Kinh nối với cầu mới sẽ khởi công trong năm nay, người dân Hải Phòng chờ đợi. " +
		"Thành phố đã hoàn thành nhiều hạng mục, các đơn vị thi công bảo đảm tiến độ và an toàn giao thông."
	m := Matcher{Terms: Terms("cầu mới")}
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		n := 0
		m.Each(text, func(_, _, t int) {
			if t >= 0 {
				n++
			}
		})
		if n != 4 {
			b.Fatalf("%d matches, want 4", n)
		}
	}
}
