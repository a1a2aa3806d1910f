package richtext_test

import (
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/richtext"
)

func TestSanitize(t *testing.T) {
	tests := []struct {
		name, in      string
		keep, without []string
	}{
		{"figure kept", `<p>Đoạn một</p><figure><img src="https://x.example/a.jpg" alt="ảnh"><figcaption>Nhà báo Lê Nghiêm</figcaption></figure>`,
			[]string{"<figure>", "<figcaption>Nhà báo Lê Nghiêm</figcaption>", `src="https://x.example/a.jpg"`}, nil},
		{"script removed", `<p>a</p><script>alert(1)</script>`, []string{"<p>a</p>"}, []string{"script", "alert"}},
		{"event handler removed", `<img src="https://x.example/a.jpg" onerror="alert(1)">`, []string{"<img"}, []string{"onerror", "alert"}},
		{"javascript url removed", `<a href="javascript:alert(1)">x</a>`, []string{"x"}, []string{"javascript"}},
		{"outside link nofollow", `<a href="https://other.example/">x</a>`, []string{`rel="nofollow"`}, nil},
		{"style removed", `<p style="color:red">x</p><style>p{}</style>`, []string{"<p>x</p>"}, []string{"style", "color"}},
		{"iframe removed", `<iframe src="https://evil.example"></iframe><p>ok</p>`, []string{"<p>ok</p>"}, []string{"iframe"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := richtext.Sanitize(tt.in)
			for _, s := range tt.keep {
				if !strings.Contains(got, s) {
					t.Errorf("Sanitize(%q) = %q, want it to contain %q", tt.in, got, s)
				}
			}
			for _, s := range tt.without {
				if strings.Contains(got, s) {
					t.Errorf("Sanitize(%q) = %q, want no %q", tt.in, got, s)
				}
			}
		})
	}
}

func TestPlainText(t *testing.T) {
	in := "<p>Ngày 10/10, tại <strong>Trung tâm</strong> hội nghị &amp; thành phố.</p>\n<figure><img src=\"a.jpg\"><figcaption>Chú thích ảnh</figcaption></figure><p>Đoạn   hai</p>"
	want := "Ngày 10/10, tại Trung tâm hội nghị & thành phố.\nChú thích ảnh\nĐoạn hai"
	if got := richtext.PlainText(in); got != want {
		t.Errorf("PlainText = %q, want %q", got, want)
	}
}

func TestReadingMinutes(t *testing.T) {
	for words, want := range map[int]int{0: 1, 1: 1, 220: 1, 221: 2, 1000: 5} {
		if got := richtext.ReadingMinutes(words); got != want {
			t.Errorf("ReadingMinutes(%d) = %d, want %d", words, got, want)
		}
	}
}
