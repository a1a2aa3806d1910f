package feed

import (
	"html/template"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
)

// TestContentHTML: an item's HTML escapes as html/template would (which
// built it before) whatever the caption, alt text, lead or URL hold, and keeps
// the sanitised body as written; what XML forbids never reaches the feed.
func TestContentHTML(t *testing.T) {
	tmpl := template.Must(template.New("content").Parse(
		`{{with .Cover}}<figure><img src="{{.URL}}" alt="{{.Alt}}">{{if .Caption}}<figcaption>{{.Caption}}</figcaption>{{end}}</figure>{{end}}` +
			`{{if .Full}}{{.Body}}{{else}}<p>{{.Excerpt}}</p>{{end}}`))
	tricky := []string{"", `Cầu Rào 1 "mới" <b>thông</b> & 'xe' 1+1`, `</figcaption><script>alert(1)</script>`, "a\tb\nc", "nul\x00byte"}
	// The second body shows one of the covers itself: the full item then
	// leaves the cover out.
	bodies := []string{`<p>Thân bài <a href="https://x.example/?a=1&amp;b=2">liên kết</a></p>`,
		`<figure><img src="https://static.example/2025/trong-bai.jpg" alt=""></figure><p>Thân bài</p>`}
	for i, text := range tricky {
		body := bodies[i%len(bodies)]
		for _, img := range []*news.Image{nil,
			{URL: "https://static.example/2025/anh.jpg?w=800&h=600", Alt: text, Caption: text},
			{URL: "https://static.example/2025/khác ảnh.jpg", Alt: "Ảnh", Caption: text},
			{URL: `https://static.example/a"b'c(d)<e>%20.jpg#x`, Alt: text},
			{URL: "https://static.example/anh.jpg?q=50%off&x=%2&y=a+b%7E", Alt: text},
			{URL: "https://static.example/2025/trong-bai.jpg", Alt: text, Caption: text},
		} {
			for _, full := range []bool{false, true} {
				v := &news.ArticleView{Article: &news.Article{Excerpt: text, BodyHTML: body, Cover: img}}
				cover := img
				if full && img != nil && strings.Contains(body, img.URL) {
					cover = nil
				}
				var want strings.Builder
				if err := tmpl.Execute(&want, struct {
					Cover   *news.Image
					Excerpt string
					Body    template.HTML
					Full    bool
				}{cover, text, template.HTML(body), full}); err != nil {
					t.Fatal(err)
				}
				if got := contentHTML(v, full); got != want.String() {
					t.Errorf("cover %+v, full %v:\n got %s\nwant %s", img, full, got, want.String())
				}
			}
		}
	}

	// A cover that is not a web URL is left out (html/template wrote
	// "#ZgotmplZ"); characters XML forbids in CDATA become U+FFFD.
	v := &news.ArticleView{Article: &news.Article{Excerpt: "a\x01b\x00c\uFFFEd", BodyHTML: "<p>x\x02</p>",
		Cover: &news.Image{URL: "javascript:alert(1)", Caption: "c"}}}
	for _, full := range []bool{false, true} {
		got := contentHTML(v, full)
		if strings.Contains(got, "figure") || strings.Contains(got, "javascript") {
			t.Errorf("a javascript: cover went out: %q", got)
		}
		for _, r := range got {
			if r < 0x20 || r == 0xFFFE {
				t.Errorf("full %v: %q holds %U, which XML forbids", full, got, r)
			}
		}
	}
}

// TestXMLText: the scan that lets clean text through unchanged cleans
// exactly as mapping every character with xmlChar does, on random bytes
// and on the characters at the edges of what XML allows.
func TestXMLText(t *testing.T) {
	edges := []string{"", "Đà Nẵng", "\t\n\r", "\x00", "\x1f", "\x7f", "\uFFFD", "\uFFFE", "\uFFFF", "\uE000",
		"\U00010000", "\xef\xbf", "\xef\xbf\xbe", "\xff", "\xc3", "a\xed\xa0\x80b"}
	cases := append([]string{}, edges...)
	r := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		var b strings.Builder
		for range r.IntN(12) {
			if r.IntN(3) == 0 {
				b.WriteByte(byte(r.IntN(256)))
			} else {
				b.WriteString(edges[r.IntN(len(edges))])
			}
		}
		cases = append(cases, b.String())
	}
	for _, s := range cases {
		if got, want := xmlText(s), strings.Map(xmlChar, s); got != want {
			t.Fatalf("xmlText(%q) = %q, want %q", s, got, want)
		}
	}
}

// BenchmarkContentHTML makes a partner's item: the cover and a 5 KB body.
func BenchmarkContentHTML(b *testing.B) {
	body := strings.Repeat("<p>Thành phố đã hoàn thành nhiều hạng mục của dự án, các đơn vị thi công bảo đảm tiến độ.</p>", 50)
	v := &news.ArticleView{Article: &news.Article{Excerpt: "Dự án đường Dương Kinh", BodyHTML: body,
		Cover: &news.Image{URL: "https://static.example/2025/anh.jpg", Alt: "Ảnh", Caption: "Công trường"}}}
	b.ReportAllocs()
	for b.Loop() {
		contentHTML(v, true)
	}
}
