package vntext

import (
	"slices"
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

// FuzzEachWord: the word scanner, with its byte-level shortcuts, splits and
// folds exactly as the definition does: a word is a run of runes that
// unicode calls letters, digits or combining marks, decoded as range
// decodes them (so invalid bytes separate words), each folded by foldSlow.
func FuzzEachWord(f *testing.F) {
	for _, s := range []string{"Đường Dương Kinh, cầu mới!", "ạỹ\u1EFA\u1F00\u1F08x", "\xc3\x28 \xe1\x80 \xe1\xba\xa1\xe1", "Ｆｕｌｌ　ｗｉｄｔｈ", "a\u0301b 2024", "\xc2\xa0\xdf\xbf\xc3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		type word struct {
			start, end int
			folded     string
		}
		var want []word
		start, folded := -1, []rune(nil)
		for i, r := range s {
			if isWordRuneSlow(r) {
				if start < 0 {
					start = i
				}
				folded = append(folded, foldSlow(r))
			} else if start >= 0 {
				want = append(want, word{start, i, string(folded)})
				start, folded = -1, nil
			}
		}
		if start >= 0 {
			want = append(want, word{start, len(s), string(folded)})
		}
		var got []word
		eachWord(s, func(start, end int, folded []byte) bool {
			got = append(got, word{start, end, string(folded)})
			return true
		})
		if !slices.Equal(got, want) {
			t.Fatalf("eachWord(%q) = %v, want %v", s, got, want)
		}
	})
}
