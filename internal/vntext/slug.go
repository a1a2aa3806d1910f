package vntext

import (
	"strings"
)

// MaxSlugLen is the longest slug Slugify produces, in bytes.
const MaxSlugLen = 120

// Slugify makes a URL slug from a Vietnamese title: folded (lowercase, no
// accents, đ -> d), with every run of characters other than a-z and 0-9
// turned into one hyphen and no hyphen at either end. A slug longer than
// MaxSlugLen is cut at a hyphen. It returns "" when s has no letter or digit.
//
//	Slugify("Phạt 45 triệu đồng 1 y sĩ") == "phat-45-trieu-dong-1-y-si"
func Slugify(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	hyphen := false
	for _, r := range NFC(s) {
		r = FoldRune(r)
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
			continue
		}
		hyphen = true
	}
	slug := b.String()
	if len(slug) > MaxSlugLen {
		slug = slug[:MaxSlugLen]
		if i := strings.LastIndexByte(slug, '-'); i > 0 {
			slug = slug[:i]
		}
	}
	return slug
}

// IsSlug reports whether s is a well-formed slug: non-empty, at most
// MaxSlugLen bytes, lowercase a-z, 0-9 and single inner hyphens.
func IsSlug(s string) bool {
	if s == "" || len(s) > MaxSlugLen || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-' && s[i-1] != '-':
		default:
			return false
		}
	}
	return true
}
