package news

import (
	"context"
	"math"
	"math/bits"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/vntext"
)

// SearchOrder orders search results.
type SearchOrder string

// Search orders.
const (
	OrderRelevance SearchOrder = "RELEVANCE"
	OrderNewest    SearchOrder = "NEWEST"
)

// Search limits.
const (
	MaxQueryLen = 200 // runes
	MaxTerms    = 8
	// Relevance ranking scores up to TitleCandidates of the newest stories
	// whose title holds every term, as far back as the newest TitleSpan
	// titles holding the query's longest term reach, and the newest
	// RecentCandidates matches anywhere. A title holding every term scores
	// most and the title index finds those cheaply, so that walk goes
	// deeper; every match anywhere is a row to read and words to match.
	TitleCandidates  = 150
	TitleSpan        = 300
	RecentCandidates = 75
	// SnippetWords is the length of a highlight snippet.
	SnippetWords = 30
)

// Match is what a store searches its full-text index for: visible articles
// whose folded text contains every term (the last as a prefix when Prefix
// is set), newest first.
type Match struct {
	Terms     []string
	Prefix    bool
	TitleOnly bool // match titles only
	Filter    ArticleFilter
	// After and Before bound the search key: results have After < key <
	// Before; zero means no bound (the store's clock still hides the
	// future).
	After, Before int64
	Ascending     bool // oldest first, for backward pages
	Limit         int
}

// SearchDoc is one match: enough of an article to rank it.
type SearchDoc struct {
	ID          int64
	Key         int64 // the search key: see SearchKeyBase
	Title       string
	Excerpt     string
	PublishedAt time.Time
}

// SearchKeysPerSecond is how many search keys each second of publish time
// has: at most this many articles can be published in the same second.
const SearchKeysPerSecond = 1000

// SearchKeyBase is the first search key of the second t falls in. An
// article's search key is its position in the search index: one of the
// SearchKeysPerSecond keys of its publish second, so that index order is
// publish order (to the second) and the keys stay small (the index stores
// their differences).
func SearchKeyBase(t time.Time) int64 {
	return t.Unix() * SearchKeysPerSecond
}

// SearchStore is what search needs of a store.
type SearchStore interface {
	// MatchArticles returns up to m.Limit matches, newest first (oldest
	// first when m.Ascending).
	MatchArticles(ctx context.Context, m Match) ([]SearchDoc, error)
	// CountMatches counts every match of m, ignoring its bounds and limit.
	CountMatches(ctx context.Context, m Match) (int, error)
	// MatchSpan returns how many of the up to m.Limit newest matches there
	// are and the search key of the oldest of them (0 when none): how far
	// back in publish time they reach. It reads the index alone.
	MatchSpan(ctx context.Context, m Match) (n int, oldest int64, err error)
	ArticlesByID(ctx context.Context, ids []int64) (map[int64]*Article, error)
}

// SearchRequest is a reader's search.
type SearchRequest struct {
	Query  string
	Filter ArticleFilter
	Order  SearchOrder
}

// SearchHit is one result with its score and highlights.
type SearchHit struct {
	Article *Article
	Score   float64
	// Title and Snippet are HTML: matched words in <mark>, the rest escaped.
	Title   string
	Snippet string
	Cursor  Cursor
}

// Searcher runs searches over a store: matching in the store's index,
// ranking and highlighting here, so every store ranks alike.
type Searcher struct {
	Store SearchStore
	Now   Clock
}

// query is a checked search.
type query struct {
	matcher vntext.Matcher
	// accents holds, per term, the reader's accented form when it differs
	// from the folded one ("" when the reader typed no accent on it).
	accents   []string
	nAccented int
}

func parseQuery(q string) (*query, error) {
	if strings.IndexByte(q, 0) >= 0 {
		q = strings.ReplaceAll(q, "\x00", " ")
	}
	if utf8.RuneCountInString(q) > MaxQueryLen {
		return nil, Invalid("query", "must be at most %d characters", MaxQueryLen)
	}
	q = vntext.NFC(q)
	// Terms are the distinct folded words, in order; a term's accents are
	// the reader's own spelling of it when that differs from the fold.
	out := &query{}
	for _, w := range vntext.Words(q) {
		t := slices.Index(out.matcher.Terms, w.Folded)
		if t < 0 {
			if len(out.matcher.Terms) == MaxTerms {
				continue
			}
			out.matcher.Terms = append(out.matcher.Terms, w.Folded)
			out.accents = append(out.accents, "")
			t = len(out.matcher.Terms) - 1
		}
		if spelt := strings.ToLower(q[w.Start:w.End]); out.accents[t] == "" && spelt != w.Folded {
			out.accents[t] = spelt
			out.nAccented++
		}
	}
	terms := out.matcher.Terms
	if len(terms) == 0 {
		return nil, Invalid("query", "must contain a letter or digit")
	}
	// The last term is a prefix while the user is still typing it (one
	// letter is too short to be worth expanding).
	out.matcher.Prefix = !strings.HasSuffix(q, " ") && utf8.RuneCountInString(terms[len(terms)-1]) > 1
	return out, nil
}

// Search returns one page of results.
func (s *Searcher) Search(ctx context.Context, req SearchRequest, p Page) (*List[SearchHit], error) {
	q, err := parseQuery(req.Query)
	if err != nil {
		return nil, err
	}
	page := s.relevance
	if req.Order == OrderNewest {
		page = s.newest
	}
	out, err := page(ctx, q, req.Filter, p)
	if err != nil {
		return nil, err
	}
	if err := s.fill(ctx, q, out.Items); err != nil {
		return nil, err
	}
	// An article unpublished between the two reads is left out.
	out.Items = slices.DeleteFunc(out.Items, func(h *SearchHit) bool { return h.Article == nil })
	return out, nil
}

// Count counts every article that matches req.
func (s *Searcher) Count(ctx context.Context, req SearchRequest) (int, error) {
	q, err := parseQuery(req.Query)
	if err != nil {
		return 0, err
	}
	return s.Store.CountMatches(ctx, s.match(q, req.Filter))
}

func (s *Searcher) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Searcher) match(q *query, f ArticleFilter) Match {
	return Match{Terms: q.matcher.Terms, Prefix: q.matcher.Prefix, Filter: f}
}

// newest pages through matches in publish order, keyed by search key.
func (s *Searcher) newest(ctx context.Context, q *query, f ArticleFilter, p Page) (*List[SearchHit], error) {
	m := s.match(q, f)
	m.Limit = p.Limit + 1
	if p.After != nil {
		m.Before = p.After.Key // older than the cursor
	}
	if p.Before != nil {
		m.After = p.Before.Key // newer than the cursor
	}
	m.Ascending = p.Backward
	docs, err := s.Store.MatchArticles(ctx, m)
	if err != nil {
		return nil, err
	}
	now := s.now() // one instant for the whole page
	hits := make([]*SearchHit, len(docs))
	for i, d := range docs {
		hits[i] = &SearchHit{Article: &Article{ID: d.ID}, Score: q.candidate(d).score(q, now), Cursor: Cursor{Key: d.Key}}
	}
	return trim(hits, p), nil
}

// relevance scores the candidates and pages through them by (score, key).
func (s *Searcher) relevance(ctx context.Context, q *query, f ArticleFilter, p Page) (*List[SearchHit], error) {
	m := s.match(q, f)
	// The two candidate reads are independent: run them side by side.
	type result struct {
		docs []candidate
		err  error
	}
	titleResult := make(chan result, 1)
	go func() {
		docs, err := s.titleCandidates(ctx, q, m)
		titleResult <- result{docs, err}
	}()
	recent := m // m is the title read's, running
	recent.Limit = RecentCandidates
	all, err := s.Store.MatchArticles(ctx, recent)
	tr := <-titleResult
	if err != nil {
		return nil, err
	}
	if tr.err != nil {
		return nil, tr.err
	}
	titles := tr.docs
	// Every page of a walk scores as of the first page's clock, so that a
	// cursor's score still places it among the others.
	now := s.now().Truncate(time.Millisecond)
	if p.After != nil {
		now = time.UnixMilli(p.After.Time)
	} else if p.Before != nil {
		now = time.UnixMilli(p.Before.Time)
	}
	seen := make(map[int64]bool, len(all)+len(titles))
	hits := make([]*SearchHit, 0, len(all)+len(titles))
	add := func(c candidate) {
		seen[c.ID] = true
		sc := c.score(q, now)
		hits = append(hits, &SearchHit{Article: &Article{ID: c.ID}, Score: sc, Cursor: Cursor{Key: c.Key, Score: sc, Time: now.UnixMilli()}})
	}
	// The title candidates come matched already.
	for _, c := range titles {
		if !seen[c.ID] {
			add(c)
		}
	}
	for _, d := range all {
		if !seen[d.ID] {
			add(q.candidate(d))
		}
	}
	slices.SortFunc(hits, func(a, b *SearchHit) int { return compareHits(a.Cursor, b.Cursor) })
	// Keep the hits strictly between the cursors, in list order.
	lo, hi := 0, len(hits)
	if p.After != nil {
		lo, _ = slices.BinarySearchFunc(hits, *p.After, func(h *SearchHit, c Cursor) int { return compareHits(h.Cursor, c) })
		if lo < len(hits) && hits[lo].Cursor == *p.After {
			lo++
		}
	}
	if p.Before != nil {
		hi, _ = slices.BinarySearchFunc(hits, *p.Before, func(h *SearchHit, c Cursor) int { return compareHits(h.Cursor, c) })
	}
	if lo > hi {
		lo = hi
	}
	window := hits[lo:hi]
	out := &List[SearchHit]{}
	if p.Backward {
		start := max(len(window)-p.Limit, 0)
		out.Items = window[start:]
		out.HasPrevious, out.HasNext = start > 0, p.Before != nil
	} else {
		out.Items = window[:min(p.Limit, len(window))]
		out.HasNext, out.HasPrevious = len(window) > p.Limit, p.After != nil
	}
	return out, nil
}

// titleCandidates finds the newest stories whose title holds every term,
// as far back as the newest TitleSpan titles holding the query's longest
// term reach. Asking the title index for every term unbounded is slow when
// the terms are common but rarely share a title (it walks the whole of the
// rarest term's list); the span of one term's newest titles bounds that
// walk, and only the titles that hold every term are read.
func (s *Searcher) titleCandidates(ctx context.Context, q *query, m Match) ([]candidate, error) {
	m.TitleOnly = true
	m.Limit = TitleCandidates
	if terms := q.matcher.Terms; len(terms) > 1 {
		longest := 0
		for i, t := range terms {
			if len(t) > len(terms[longest]) {
				longest = i
			}
		}
		span := m
		span.Terms = terms[longest : longest+1]
		span.Prefix = q.matcher.Prefix && longest == len(terms)-1
		span.Limit = TitleSpan
		n, oldest, err := s.Store.MatchSpan(ctx, span)
		if err != nil || n == 0 {
			return nil, err
		}
		if n == span.Limit {
			m.After = oldest - 1 // After is exclusive
		}
	}
	docs, err := s.Store.MatchArticles(ctx, m)
	if err != nil {
		return nil, err
	}
	out := make([]candidate, len(docs))
	for i, d := range docs {
		out[i] = q.candidate(d)
	}
	return out, nil
}

// compareHits orders hits best first: higher score, then newer.
func compareHits(a, b Cursor) int {
	switch {
	case a.Score > b.Score:
		return -1
	case a.Score < b.Score:
		return 1
	case a.Key > b.Key:
		return -1
	case a.Key < b.Key:
		return 1
	}
	return 0
}

// trim turns a store page read with one extra row into a list.
func trim(hits []*SearchHit, p Page) *List[SearchHit] {
	more := len(hits) > p.Limit
	if more {
		hits = hits[:p.Limit]
	}
	out := &List[SearchHit]{Items: hits}
	if p.Backward {
		slices.Reverse(hits)
		out.HasPrevious, out.HasNext = more, p.Before != nil
	} else {
		out.HasNext, out.HasPrevious = more, p.After != nil
	}
	return out
}

// Ranking weights. A title match outweighs an excerpt match, which
// outweighs a body-only match; a phrase (the terms together, in order) and
// the reader's own accents add to it; age divides it.
const (
	weightTitle      = 8.0
	weightExcerpt    = 3.0
	weightBody       = 1.0
	weightPhrase     = 4.0
	weightAccents    = 8.0 // đồng and động are different words
	recencyHalfLife  = 180 * 24 * time.Hour
	recencyBaseShare = 0.5 // the share of the score that never decays
)

// candidate is a match with what its title and lead hold of the query,
// found once whichever read brought it.
type candidate struct {
	SearchDoc
	title, excerpt fieldMatch
}

func (q *query) candidate(d SearchDoc) candidate {
	return candidate{SearchDoc: d, title: q.field(d.Title), excerpt: q.field(d.Excerpt)}
}

// score ranks c as of now.
func (c candidate) score(q *query, now time.Time) float64 {
	terms := float64(len(q.matcher.Terms))
	title, excerpt := c.title, c.excerpt
	score := weightBody
	score += weightTitle * float64(bits.OnesCount16(title.terms)) / terms
	score += weightExcerpt * float64(bits.OnesCount16(excerpt.terms)) / terms
	if title.phrase {
		score += weightPhrase
	} else if excerpt.phrase {
		score += weightPhrase / 2
	}
	if q.nAccented > 0 {
		score += weightAccents * float64(bits.OnesCount16(title.accents|excerpt.accents)) / float64(q.nAccented)
	}
	age := max(now.Sub(c.PublishedAt), 0)
	decay := math.Exp2(-float64(age) / float64(recencyHalfLife))
	return score * (recencyBaseShare + (1-recencyBaseShare)*decay)
}

// fieldMatch is what one field of an article holds of a query: which terms
// (a bit each), which with the reader's accents, and whether the terms
// stand together in order (a phrase; a single term always does).
type fieldMatch struct {
	terms, accents uint16
	phrase         bool
}

func (q *query) field(text string) fieldMatch {
	var f fieldMatch
	n := len(q.matcher.Terms)
	run := 0 // how many of the terms, in order, the last words were
	q.matcher.Each(text, func(start, end, t int) {
		switch {
		case t < 0:
			run = 0
			return
		case t == run:
			run++
		case t == 0:
			run = 1
		default:
			run = 0
		}
		if run == n {
			f.phrase = true
		}
		f.terms |= 1 << t
		if a := q.accents[t]; a != "" && strings.ToLower(text[start:end]) == a {
			f.accents |= 1 << t
		}
	})
	return f
}

// fill loads the articles of hits in one read and highlights them.
func (s *Searcher) fill(ctx context.Context, q *query, hits []*SearchHit) error {
	if len(hits) == 0 {
		return nil
	}
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.Article.ID
	}
	articles, err := s.Store.ArticlesByID(ctx, ids)
	if err != nil {
		return err
	}
	for _, h := range hits {
		a := articles[h.Article.ID]
		h.Article = a
		if a == nil {
			continue
		}
		h.Title = q.matcher.Highlight(a.Title)
		h.Snippet = q.matcher.Snippet(a.Excerpt+"\n"+a.BodyText, SnippetWords)
	}
	return nil
}
