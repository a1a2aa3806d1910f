package news

import (
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/vntext"
)

// fieldByWords is field as it was first written, over vntext.Words: the
// reference the one-pass version must agree with.
func fieldByWords(q *query, text string) fieldMatch {
	var f fieldMatch
	words := vntext.Words(text)
	n := len(q.matcher.Terms)
	for i, w := range words {
		t := q.matcher.Match(w.Folded)
		if t < 0 {
			continue
		}
		f.terms |= 1 << t
		if a := q.accents[t]; a != "" && strings.ToLower(text[w.Start:w.End]) == a {
			f.accents |= 1 << t
		}
		if t == 0 && !f.phrase && i+n <= len(words) {
			f.phrase = true
			for j := 1; j < n; j++ {
				if q.matcher.Match(words[i+j].Folded) != j {
					f.phrase = false
					break
				}
			}
		}
	}
	return f
}

func TestFieldMatchesReference(t *testing.T) {
	queries := []string{"duong kinh", "Dương Kinh", "kinh", "phạt y sĩ", "hải phòng ", "y y", "khám chữa bệnh", "d"}
	texts := []string{
		"Phạt 45 triệu đồng 1 y sĩ ở phường Dương Kinh khám chữa bệnh không phép",
		"Kinh Dương, Dương và Kinh; duong-kinh DUONG KINH",
		"Người dân Dương Kinh phấn khởi khi tuyến đường ven sông được nâng cấp",
		"", "kinh", "Hải Phòng: Hải Phòngg hải phòng.", "y sĩ phạt y sĩ phạt", "Dương Dương Kinh",
	}
	for _, qs := range queries {
		q, err := parseQuery(qs)
		if err != nil {
			t.Fatal(err)
		}
		for _, text := range texts {
			if got, want := q.field(text), fieldByWords(q, text); got != want {
				t.Errorf("query %q, text %q: field %+v, want %+v", qs, text, got, want)
			}
		}
	}
	q, _ := parseQuery("duong kinh")
	if f := q.field("Dương Kinh"); !f.phrase || f.terms != 3 {
		t.Errorf("Dương Kinh for duong kinh: %+v, want both terms and the phrase", f)
	}
	if f := q.field("Kinh Dương"); f.phrase || f.terms != 3 {
		t.Errorf("Kinh Dương for duong kinh: %+v, want both terms, no phrase", f)
	}
}
