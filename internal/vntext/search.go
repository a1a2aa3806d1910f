package vntext

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// isWordRune reports whether r belongs to a word: letters, digits and the
// combining marks of an unnormalised letter.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// Word is one word of a text: its rune offsets in the NFC text and its
// folded form.
type Word struct {
	Start, End int // rune offsets, End exclusive
	Folded     string
}

// Words splits NFC text into words (runs of letters and digits) with their
// positions and folded forms.
func Words(text string) []Word {
	var words []Word
	var b strings.Builder
	start, i := -1, 0
	for _, r := range text {
		if isWordRune(r) {
			if start < 0 {
				start = i
				b.Reset()
			}
			b.WriteRune(FoldRune(r))
		} else if start >= 0 {
			words = append(words, Word{Start: start, End: i, Folded: b.String()})
			start = -1
		}
		i++
	}
	if start >= 0 {
		words = append(words, Word{Start: start, End: i, Folded: b.String()})
	}
	return words
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

// Accented returns the query's words lowercased but not folded, for exact
// accent comparisons: "Dương Kinh" -> ["dương", "kinh"].
func Accented(query string) []string {
	q := []rune(NFC(query))
	var out []string
	for _, w := range Words(string(q)) {
		out = append(out, strings.ToLower(string(q[w.Start:w.End])))
	}
	return out
}

// Matcher decides which words of a text match a query's terms: equal
// folded forms, or for the last term when Prefix is set, a folded form
// that starts with it.
type Matcher struct {
	Terms  []string
	Prefix bool
}

// Match returns the index in m.Terms of the term the folded word matches,
// or -1.
func (m Matcher) Match(folded string) int {
	for i, t := range m.Terms {
		if folded == t || (m.Prefix && i == len(m.Terms)-1 && strings.HasPrefix(folded, t)) {
			return i
		}
	}
	return -1
}

// Highlight returns text HTML-escaped, with every matching word wrapped in
// <mark>...</mark>. The marks sit on the original (accented) words.
func (m Matcher) Highlight(text string) string {
	return m.mark([]rune(text), Words(text), 0, -1)
}

// mark writes runes[from:to] (to < 0: to the end) escaped, marking the
// words that match.
func (m Matcher) mark(runes []rune, words []Word, from, to int) string {
	if to < 0 || to > len(runes) {
		to = len(runes)
	}
	var b strings.Builder
	pos := from
	for _, w := range words {
		if w.Start < from || w.End > to {
			continue
		}
		if m.Match(w.Folded) < 0 {
			continue
		}
		b.WriteString(html.EscapeString(string(runes[pos:w.Start])))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(string(runes[w.Start:w.End])))
		b.WriteString("</mark>")
		pos = w.End
	}
	b.WriteString(html.EscapeString(string(runes[pos:to])))
	return b.String()
}

// Snippet picks the passage of about size words of text with the most
// distinct matching terms (earliest on ties), highlights it, and marks cut
// ends with "…". With no match it returns the start of the text.
func (m Matcher) Snippet(text string, size int) string {
	runes := []rune(text)
	words := Words(text)
	if len(words) == 0 {
		return ""
	}
	best, bestScore := 0, -1
	for i := range words {
		if i > 0 && m.Match(words[i].Folded) < 0 {
			continue // a window worth having starts on a match (or at the start)
		}
		seen := map[int]bool{}
		for j := i; j < len(words) && j < i+size; j++ {
			if t := m.Match(words[j].Folded); t >= 0 {
				seen[t] = true
			}
		}
		if len(seen) > bestScore {
			best, bestScore = i, len(seen)
		}
	}
	// Start a few words before the first match, for context.
	first := max(best-3, 0)
	if best == 0 {
		first = 0
	}
	last := min(first+size, len(words)) - 1
	from, to := words[first].Start, words[last].End
	if first == 0 {
		from = 0
	}
	out := m.mark(runes, words, from, to)
	if from > 0 {
		out = "…" + out
	}
	if to < len(runes) && strings.TrimSpace(string(runes[to:])) != "" {
		out += "…"
	}
	return strings.TrimSpace(out)
}

// Len is the length of s in runes.
func Len(s string) int { return utf8.RuneCountInString(s) }
