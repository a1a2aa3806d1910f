package richtext

import (
	"regexp"
	"strings"
	"testing"
)

var (
	eventAttr = regexp.MustCompile(`(?i)<[^>]*\son[a-z]+\s*=`)
	badTag    = regexp.MustCompile(`(?i)<\s*/?\s*(script|style|iframe|object|embed|form|input|meta|base|link|svg|math)\b`)
	// A script URL in an attribute: text that merely reads "src=data:" is
	// harmless (the fuzzer found that an earlier pattern flagged it).
	badURL = regexp.MustCompile(`(?i)<[^>]*\s(href|src)\s*=\s*["']?\s*(javascript|vbscript|data):`)
)

// FuzzSanitize: whatever goes in, what comes out has no script, event
// handler, dangerous element or script URL, and its plain text has no tag.
func FuzzSanitize(f *testing.F) {
	for _, s := range []string{
		`<p onclick="x()">a</p>`, `<script>alert(1)</script>`, `<a href="javascript:alert(1)">x</a>`,
		`<img src=x onerror=alert(1)>`, `<svg/onload=alert(1)>`, `<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
		`<figure><img src="https://x.vn/a.jpg"><figcaption>Ảnh</figcaption></figure>`, `<a href="JaVaScRiPt:x">`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Sanitize(s)
		if eventAttr.MatchString(out) || badTag.MatchString(out) || badURL.MatchString(out) {
			t.Fatalf("Sanitize(%q) = %q", s, out)
		}
		if text := PlainText(out); strings.ContainsAny(text, "<>") && strings.Contains(text, "<script") {
			t.Fatalf("PlainText of %q keeps a tag: %q", out, text)
		}
	})
}
