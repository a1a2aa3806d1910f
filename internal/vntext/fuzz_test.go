package vntext

import (
	"testing"
	"unicode/utf8"
)

// FuzzSlugify: a slug is empty or valid, never too long, and slugifying it
// again changes nothing.
func FuzzSlugify(f *testing.F) {
	for _, s := range []string{"Phạt 45 triệu đồng 1 y sĩ", "ĐƯỜNG ĐỒNG KHỞI", "--a--b--", "Ｆｕｌｌ　ｗｉｄｔｈ", "\xff\xfe", "a\u0301b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		slug := Slugify(s)
		if slug == "" {
			return
		}
		if !IsSlug(slug) || len(slug) > MaxSlugLen || !utf8.ValidString(slug) {
			t.Fatalf("Slugify(%q) = %q: not a slug", s, slug)
		}
		if again := Slugify(slug); again != slug {
			t.Fatalf("Slugify(%q) = %q, but Slugify(%q) = %q", s, slug, slug, again)
		}
	})
}
