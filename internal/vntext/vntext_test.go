package vntext_test

import (
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/vntext"
)

func TestFoldRune(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Dương Kinh", "duong kinh"},
		{"DƯƠNG KINH", "duong kinh"},
		{"Đồng đội ĐÀ NẴNG", "dong doi da nang"},
		{"Hải Phòng", "hai phong"},
		{"tập huấn", "tap huan"},
		{"Sở Thông tin và Truyền thông", "so thong tin va truyen thong"},
		{"ỹ ỵ ự ẩ ờ", "y y u a o"},
		{"plain ASCII", "plain ascii"},
		{"", ""},
	}
	for _, tt := range tests {
		var b strings.Builder
		for _, r := range tt.in {
			b.WriteRune(vntext.FoldRune(r))
		}
		if got := b.String(); got != tt.want {
			t.Errorf("FoldRune over %q = %q, want %q", tt.in, got, tt.want)
		}
	}
	// Decomposed input (e + combining circumflex + combining dot below) is
	// NFC-normalised before folding.
	if got := vntext.FoldWords("Vie\u0302\u0323t Nam"); got != "viet nam" {
		t.Errorf("FoldWords(decomposed) = %q, want %q", got, "viet nam")
	}
}

func TestCountWords(t *testing.T) {
	if got, want := vntext.CountWords("Sở Thông tin và Truyền thông, 10/10."), 8; got != want {
		t.Errorf("CountWords = %d, want %d", got, want)
	}
}

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Phạt 45 triệu đồng 1 y sĩ ở phường Dương Kinh khám chữa bệnh không phép",
			"phat-45-trieu-dong-1-y-si-o-phuong-duong-kinh-kham-chua-benh-khong-phep"},
		{"Giao hơn 8,1 ha đất ‘vàng’ Nhà máy Sứ Hải Dương (cũ) cho chủ đầu tư thực hiện dự án nhà ở",
			"giao-hon-8-1-ha-dat-vang-nha-may-su-hai-duong-cu-cho-chu-dau-tu-thuc-hien-du-an-nha-o"},
		{"Việc sớm hình thành Đông - Tây", "viec-som-hinh-thanh-dong-tay"},
		{"  --Đô thị!!  ", "do-thi"},
		{"???", ""},
	}
	for _, tt := range tests {
		got := vntext.Slugify(tt.in)
		if got != tt.want {
			t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got != "" && !vntext.IsSlug(got) {
			t.Errorf("IsSlug(Slugify(%q)) = false for %q", tt.in, got)
		}
	}
}

func TestSlugifyLength(t *testing.T) {
	long := ""
	for range 40 {
		long += "Thành phố Hải Phòng "
	}
	got := vntext.Slugify(long)
	if len(got) > vntext.MaxSlugLen || !vntext.IsSlug(got) {
		t.Fatalf("Slugify(long) = %q (%d bytes), want a valid slug of at most %d bytes", got, len(got), vntext.MaxSlugLen)
	}
}

func TestIsSlug(t *testing.T) {
	for s, want := range map[string]bool{
		"hai-phong": true, "a": true, "2025-tin-moi": true,
		"": false, "-a": false, "a-": false, "a--b": false, "Hai": false, "hải": false, "a b": false,
	} {
		if got := vntext.IsSlug(s); got != want {
			t.Errorf("IsSlug(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"  Hải \n Phòng\t ":            "Hải Phòng",
		"Hải\x00 Phòng\x01\x7f\u0085x": "Hải Phòng x",
		"Ha\u0309i Pho\u0300ng":        "Hải Phòng",
		"Ha\x00\u0309i":                "Hải",
	} {
		if got := vntext.Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkFoldWords(b *testing.B) {
	s := "Ngày 10/10, tại Trung tâm hội nghị thành phố, Sở Thông tin và Truyền thông tổ chức Hội nghị tập huấn công tác thông tin đối ngoại cho cán bộ làm công tác thông tin đối ngoại của các sở, ngành, quận, huyện."
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		vntext.FoldWords(s)
	}
}

func TestTerms(t *testing.T) {
	got := vntext.Terms(`  "Dương" KINH!! dương  AND (x*) `)
	want := []string{"duong", "kinh", "and", "x"}
	if len(got) != len(want) {
		t.Fatalf("Terms = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Terms = %q, want %q", got, want)
		}
	}
}

func TestHighlight(t *testing.T) {
	m := vntext.Matcher{Terms: []string{"duong", "ki"}, Prefix: true}
	got := m.Highlight("Phường Dương Kinh <b>& đường</b>")
	want := "Phường <mark>Dương</mark> <mark>Kinh</mark> &lt;b&gt;&amp; <mark>đường</mark>&lt;/b&gt;"
	if got != want {
		t.Errorf("Highlight\n got %s\nwant %s", got, want)
	}
	m.Prefix = false
	if got := m.Highlight("Kinh tế"); got != "Kinh tế" {
		t.Errorf("whole-word Highlight marked a prefix: %s", got)
	}
}

func TestSnippet(t *testing.T) {
	m := vntext.Matcher{Terms: []string{"duong", "kinh"}}
	text := "Mở đầu bài viết. " + strings.Repeat("Nội dung không liên quan. ", 30) + "Tại phường Dương Kinh, người dân vui mừng. " + strings.Repeat("Kết thúc. ", 30)
	got := m.Snippet(text, 12)
	if !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") || !strings.Contains(got, "<mark>Dương</mark> <mark>Kinh</mark>") {
		t.Errorf("Snippet = %q", got)
	}
	if got := m.Snippet("Không có gì khớp ở đây cả.", 3); got != "Không có gì…" {
		t.Errorf("no-match Snippet = %q", got)
	}
	if got := m.Snippet("", 10); got != "" {
		t.Errorf("empty Snippet = %q", got)
	}
}

func TestFoldWords(t *testing.T) {
	got := vntext.FoldWords("Giao 8,1 ha đất ‘vàng’ – Đông-Tây… 0\u07a80")
	want := "giao 8 1 ha dat  vang    dong tay  0\u07a80"
	if got != want {
		t.Errorf("FoldWords = %q, want %q", got, want)
	}
	// The words FoldWords keeps are the words Terms finds.
	if terms := vntext.Terms(got); strings.Join(terms, " ") != "giao 8 1 ha dat vang dong tay 0\u07a80" {
		t.Errorf("Terms(FoldWords) = %q", terms)
	}
}
