// Package richtext makes article body HTML safe to store and serve, and
// derives its plain text and reading time.
//
// Sanitising is bluemonday's UGC policy (no script, no event handlers, no
// javascript: URLs; paragraphs, headings, links, lists, quotes, images and
// captioned figures kept), with rel="nofollow noopener" on outside links.
package richtext

import (
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
)

// policy is safe for concurrent use once built.
var policy = func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnFullyQualifiedLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	return p
}()

// Sanitize returns html with everything unsafe removed.
func Sanitize(s string) string {
	return strings.TrimSpace(policy.Sanitize(s))
}

// blockElements end a line of text: their content is not run together with
// the next block's.
var blockElements = map[string]bool{
	"p": true, "div": true, "br": true, "li": true, "h1": true, "h2": true, "h3": true,
	"h4": true, "h5": true, "h6": true, "blockquote": true, "figure": true,
	"figcaption": true, "tr": true, "pre": true, "hr": true, "section": true,
}

// PlainText returns the text of an HTML fragment, one paragraph a line, with
// white space collapsed within each line and entities decoded.
func PlainText(fragment string) string {
	z := html.NewTokenizer(strings.NewReader(fragment))
	var lines []string
	var cur strings.Builder
	flush := func() {
		if line := strings.Join(strings.Fields(cur.String()), " "); line != "" {
			lines = append(lines, line)
		}
		cur.Reset()
	}
	skip := 0 // inside script/style, which a sanitised body never has
	for {
		switch z.Next() {
		case html.ErrorToken:
			flush()
			return strings.Join(lines, "\n")
		case html.TextToken:
			if skip == 0 {
				cur.Write(z.Text())
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if tag == "script" || tag == "style" {
				if t := z.Token(); t.Type == html.StartTagToken {
					skip++
				} else if t.Type == html.EndTagToken && skip > 0 {
					skip--
				}
				continue
			}
			if blockElements[tag] {
				flush()
			} else {
				cur.WriteByte(' ')
			}
		}
	}
}

// WordsPerMinute is the reading speed behind ReadingMinutes.
const WordsPerMinute = 220

// ReadingMinutes is the time to read words words, rounded up, at least 1.
func ReadingMinutes(words int) int {
	m := (words + WordsPerMinute - 1) / WordsPerMinute
	return max(m, 1)
}
