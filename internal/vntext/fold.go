// Package vntext handles Vietnamese text: accent folding (including đ/Đ, which
// has no Unicode decomposition), NFC normalisation and slugs.
//
// It is a leaf package: no I/O, no dependency on the rest of newsdesk.
package vntext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// tableEnd bounds the fast lookup table: it covers Latin-1, Latin Extended-A
// and -B (ơ, ư) and Latin Extended Additional (ạ…ỹ), i.e. every precomposed
// Vietnamese letter.
const tableEnd = 0x1F00

// foldTable maps each rune below tableEnd to its folded form: lowercase, with
// every combining mark removed and đ folded to d. wordTable is the same
// for the runes that belong to a word, and 0 for the others; asciiFold is
// wordTable's first 128 entries as bytes.
var (
	foldTable [tableEnd]rune
	wordTable [tableEnd]rune
	asciiFold [utf8.RuneSelf]byte
)

func init() {
	for r := rune(0); r < tableEnd; r++ {
		foldTable[r] = foldSlow(r)
		if isWordRuneSlow(r) {
			wordTable[r] = foldTable[r]
		}
	}
	for c := range asciiFold {
		asciiFold[c] = byte(wordTable[c])
	}
}

// wordFold is FoldRune for a rune that belongs to a word, and 0 for one
// that does not.
func wordFold(r rune) rune {
	if r >= 0 && r < tableEnd {
		return wordTable[r]
	}
	if isWordRuneSlow(r) {
		return foldSlow(r)
	}
	return 0
}

// foldSlow folds one rune through Unicode decomposition. It always returns
// exactly one rune, so folded text keeps the rune positions of its source.
func foldSlow(r rune) rune {
	switch r {
	case 'đ', 'Đ':
		return 'd'
	}
	if r < utf8.RuneSelf {
		return unicode.ToLower(r)
	}
	if unicode.Is(unicode.Mn, r) {
		return r
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	d := norm.NFD.Bytes(buf[:n])
	base, _ := utf8.DecodeRune(d)
	if base == utf8.RuneError {
		return unicode.ToLower(r)
	}
	return unicode.ToLower(base)
}

// FoldRune folds a single rune: lowercase, no accents, đ -> d. It maps one
// rune to one rune.
func FoldRune(r rune) rune {
	if r >= 0 && r < tableEnd {
		return foldTable[r]
	}
	return foldSlow(r)
}

// NFC returns s in Unicode Normalization Form C, the form newsdesk stores.
func NFC(s string) string {
	if norm.NFC.IsNormalString(s) {
		return s
	}
	return norm.NFC.String(s)
}

// Clean returns s in NFC with surrounding white space removed, every inner
// run of white space collapsed to one space and control characters (a
// NUL, say, which XML forbids) dropped: the form of titles and names.
func Clean(s string) string {
	return strings.Join(strings.Fields(NFC(strings.Map(dropControl, s))), " ")
}

func dropControl(r rune) rune {
	if unicode.IsControl(r) && !unicode.IsSpace(r) {
		return -1
	}
	return r
}
