package vntext

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// isWordRuneSlow reports whether r belongs to a word: letters, digits and
// the combining marks of an unnormalised letter (wordFold's table holds it).
func isWordRuneSlow(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// Word is one word of a text: its byte offsets in the text and its folded
// form.
type Word struct {
	Start, End int // byte offsets, End exclusive
	Folded     string
}

// eachWord calls fn for every word of text (a run of letters and digits)
// with its byte offsets and its folded form, in a buffer reused between
// calls: fn must copy what it keeps. It stops when fn returns false.
//
// It is the loop under every search result (each candidate's title and
// lead, each snippet): one table lookup a rune, and none of utf8's work
// for the ASCII that most of folded Vietnamese is.
func eachWord(text string, fn func(start, end int, folded []byte) bool) {
	var space [64]byte
	buf := space[:0]
	start := -1
	for i := 0; i < len(text); {
		var f rune
		n := 1
		if c := text[i]; c < utf8.RuneSelf {
			f = rune(asciiFold[c])
		} else if c >= 0xC2 && c < 0xE0 && i+1 < len(text) && text[i+1]&0xC0 == 0x80 {
			// Two bytes (Latin-1 and Latin Extended: à, ơ, ư, đ...).
			f, n = wordTable[rune(c&0x1F)<<6|rune(text[i+1]&0x3F)], 2
		} else if c == 0xE1 && i+2 < len(text) && text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80 {
			// Three bytes from U+1000 (Latin Extended Additional: ạ...ỹ).
			f, n = wordFold(0x1000|rune(text[i+1]&0x3F)<<6|rune(text[i+2]&0x3F)), 3
		} else {
			var r rune
			r, n = utf8.DecodeRuneInString(text[i:])
			f = wordFold(r)
		}
		if f != 0 {
			if start < 0 {
				start = i
			}
			buf = utf8.AppendRune(buf, f)
		} else if start >= 0 {
			if !fn(start, i, buf) {
				return
			}
			start, buf = -1, buf[:0]
		}
		i += n
	}
	if start >= 0 {
		fn(start, len(text), buf)
	}
}

// Words splits NFC text into words (runs of letters and digits) with their
// positions and folded forms.
func Words(text string) []Word {
	words := make([]Word, 0, len(text)/6+1)
	eachWord(text, func(start, end int, folded []byte) bool {
		words = append(words, Word{Start: start, End: end, Folded: string(folded)})
		return true
	})
	return words
}

// CountWords counts the words of text, as Words splits them: a Vietnamese
// syllable is one word, as editors count them.
func CountWords(text string) int {
	n := 0
	eachWord(text, func(int, int, []byte) bool { n++; return true })
	return n
}

// FoldWords folds text (FoldRune: lowercase, no accents, đ -> d) and turns every rune that is not part of
// a word into a space: the form the search index stores, so that a
// tokenizer splitting on ASCII separators alone finds exactly the words
// that Words and Terms find.
func FoldWords(text string) string {
	text = NFC(text)
	b := make([]byte, 0, len(text))
	for _, r := range text {
		if f := wordFold(r); f != 0 {
			b = utf8.AppendRune(b, f)
		} else {
			b = append(b, ' ')
		}
	}
	return string(b)
}

// Terms splits a search query into folded terms, in order, without
// repeats: "Dương  KINH!" -> ["duong", "kinh"]. Everything that is not a
// letter or digit separates terms, so no query syntax survives.
func Terms(query string) []string {
	var terms []string
	seen := map[string]bool{}
	for _, w := range Words(NFC(query)) {
		if !seen[w.Folded] {
			seen[w.Folded] = true
			terms = append(terms, w.Folded)
		}
	}
	return terms
}

// Matcher decides which words of a text match a query's terms: equal
// folded forms, or for the last term when Prefix is set, a folded form
// that starts with it.
type Matcher struct {
	Terms  []string
	Prefix bool
}

// matched is a word of a text with the index of the term it matches (-1
// for none).
type matched struct {
	start, end, term int
}

// scan splits text into words and matches each against m, with no
// allocation per word.
func (m Matcher) scan(text string) []matched {
	out := make([]matched, 0, len(text)/6+1)
	m.Each(text, func(start, end, term int) { out = append(out, matched{start, end, term}) })
	return out
}

// Each calls fn for every word of text with its byte offsets and the index
// of the term it matches (-1 for none), allocating nothing per word.
func (m Matcher) Each(text string, fn func(start, end, term int)) {
	eachWord(text, func(start, end int, folded []byte) bool {
		fn(start, end, matchTerm(m, folded))
		return true
	})
}

// Match returns the index in m.Terms of the term the folded word matches,
// or -1.
func (m Matcher) Match(folded string) int {
	return matchTerm(m, folded)
}

// matchTerm is Match for a folded word held as a string or as bytes (the
// comparisons convert without allocating).
func matchTerm[S string | []byte](m Matcher, folded S) int {
	last := len(m.Terms) - 1
	for i, t := range m.Terms {
		if string(folded) == t || (m.Prefix && i == last && len(folded) >= len(t) && string(folded[:len(t)]) == t) {
			return i
		}
	}
	return -1
}

// Highlight returns text HTML-escaped, with every matching word wrapped in
// <mark>...</mark>. The marks sit on the original (accented) words.
func (m Matcher) Highlight(text string) string {
	return mark(text, m.scan(text), 0, len(text))
}

// mark writes text[from:to] escaped, marking the words that match.
func mark(text string, words []matched, from, to int) string {
	var b strings.Builder
	pos := from
	for _, w := range words {
		if w.term < 0 || w.start < from || w.end > to {
			continue
		}
		b.WriteString(html.EscapeString(text[pos:w.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[w.start:w.end]))
		b.WriteString("</mark>")
		pos = w.end
	}
	b.WriteString(html.EscapeString(text[pos:to]))
	return b.String()
}

// Snippet picks the passage of about size words of text with the most
// distinct matching terms (earliest on ties), highlights it, and marks cut
// ends with "…". With no match it returns the start of the text.
func (m Matcher) Snippet(text string, size int) string {
	// Slide a window of size words along the text as it is split, counting
	// each term's matches in it. A window worth having starts on a match;
	// once one holds every term, none after it can do better, and the rest
	// of the text (most of a body, when the lead has the terms) is left
	// unsplit.
	words := make([]matched, 0, min(len(text)/6+1, 2*size))
	w := newWindow(len(m.Terms))
	best, bestScore := 0, 0
	eachWord(text, func(start, end int, folded []byte) bool {
		words = append(words, matched{start, end, matchTerm(m, folded)})
		k := len(words) - 1
		if k < size {
			// The first window.
			w.add(words[k], 1)
			bestScore = w.distinct
		} else {
			// The window of words i to k.
			i := k - size + 1
			w.add(words[i-1], -1)
			w.add(words[k], 1)
			if words[i].term >= 0 && w.distinct > bestScore {
				best, bestScore = i, w.distinct
			}
		}
		return bestScore < len(m.Terms) || len(words) < size
	})
	if len(words) == 0 {
		return ""
	}
	return passage(text, words, best, size)
}

// window counts the matches of each term among the words of a window, and
// how many terms it holds.
type window struct {
	count    []int
	distinct int
}

func newWindow(terms int) *window { return &window{count: make([]int, terms)} }

// add counts w in (d = 1) or out (d = -1) of the window.
func (win *window) add(w matched, d int) {
	t := w.term
	if t < 0 {
		return
	}
	if d > 0 && win.count[t] == 0 {
		win.distinct++
	}
	win.count[t] += d
	if d < 0 && win.count[t] == 0 {
		win.distinct--
	}
}

// passage highlights the size words of text that start a few words before
// words[best] (for context), marking cut ends with "…"; words must hold
// them all.
func passage(text string, words []matched, best, size int) string {
	first := 0
	if best > 0 {
		first = max(best-3, 0)
	}
	last := min(first+size, len(words)) - 1
	from, to := words[first].start, words[last].end
	if first == 0 {
		from = 0
	}
	out := mark(text, words, from, to)
	if from > 0 {
		out = "…" + out
	}
	if to < len(text) && strings.TrimSpace(text[to:]) != "" {
		out += "…"
	}
	return strings.TrimSpace(out)
}
