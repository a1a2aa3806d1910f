package news

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"

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
	// Candidates is how many matches relevance ranking scores: the newest
	// title matches and the newest matches anywhere, up to this many each.
	Candidates = 300
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
	Key         int64 // the search key: SearchKey(PublishedAt, ID)
	Title       string
	Excerpt     string
	PublishedAt time.Time
}

// SearchKey is an article's position in the search index: publish time in
// milliseconds with the id's last six digits beside it, so that index order
// is publish order. Distinct articles collide only when published in the
// same millisecond with ids a multiple of a million apart.
func SearchKey(publishedAt time.Time, id int64) int64 {
	return publishedAt.UnixMilli()*1_000_000 + id%1_000_000
}

// SearchStore is what search needs of a store.
type SearchStore interface {
	// MatchArticles returns up to m.Limit matches, newest first (oldest
	// first when m.Ascending).
	MatchArticles(ctx context.Context, m Match) ([]SearchDoc, error)
	// CountMatches counts every match of m, ignoring its bounds and limit.
	CountMatches(ctx context.Context, m Match) (int, error)
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
	matcher  vntext.Matcher
	accented []string
	phrase   string // the folded terms joined by spaces
}

func parseQuery(q string) (*query, error) {
	if strings.IndexByte(q, 0) >= 0 {
		q = strings.ReplaceAll(q, "\x00", " ")
	}
	if vntext.Len(q) > MaxQueryLen {
		return nil, Invalid("query", "must be at most %d characters", MaxQueryLen)
	}
	terms := vntext.Terms(q)
	if len(terms) == 0 {
		return nil, Invalid("query", "must contain a letter or digit")
	}
	if len(terms) > MaxTerms {
		terms = terms[:MaxTerms]
	}
	// The last term is a prefix while the user is still typing it.
	prefix := !strings.HasSuffix(q, " ")
	return &query{
		matcher:  vntext.Matcher{Terms: terms, Prefix: prefix},
		accented: vntext.Accented(q),
		phrase:   strings.Join(terms, " "),
	}, nil
}

// Search returns one page of results.
func (s *Searcher) Search(ctx context.Context, req SearchRequest, p Page) (*List[SearchHit], error) {
	q, err := parseQuery(req.Query)
	if err != nil {
		return nil, err
	}
	var hits []*SearchHit
	var out *List[SearchHit]
	if req.Order == OrderNewest {
		out, err = s.newest(ctx, q, req.Filter, p)
	} else {
		out, err = s.relevance(ctx, q, req.Filter, p)
	}
	if err != nil {
		return nil, err
	}
	hits = out.Items
	if err := s.fill(ctx, q, hits); err != nil {
		return nil, err
	}
	// An article unpublished between the two reads is left out.
	out.Items = slices.DeleteFunc(hits, func(h *SearchHit) bool { return h.Article == nil })
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
	hits := make([]*SearchHit, len(docs))
	for i, d := range docs {
		hits[i] = &SearchHit{Article: &Article{ID: d.ID}, Score: score(q, d, s.now()), Cursor: Cursor{Key: d.Key}}
	}
	return trim(hits, p), nil
}

// relevance scores the candidates and pages through them by (score, key).
func (s *Searcher) relevance(ctx context.Context, q *query, f ArticleFilter, p Page) (*List[SearchHit], error) {
	m := s.match(q, f)
	m.Limit = Candidates
	all, err := s.Store.MatchArticles(ctx, m)
	if err != nil {
		return nil, err
	}
	m.TitleOnly = true
	titles, err := s.Store.MatchArticles(ctx, m)
	if err != nil {
		return nil, err
	}
	// Every page of a walk scores as of the first page's clock, so that a
	// cursor's score still places it among the others.
	now := s.now().Truncate(time.Millisecond)
	if p.After != nil {
		now = time.UnixMilli(p.After.Time)
	} else if p.Before != nil {
		now = time.UnixMilli(p.Before.Time)
	}
	seen := make(map[int64]bool, len(all)+len(titles))
	var hits []*SearchHit
	for _, d := range append(titles, all...) {
		if seen[d.ID] {
			continue
		}
		seen[d.ID] = true
		sc := score(q, d, now)
		hits = append(hits, &SearchHit{Article: &Article{ID: d.ID}, Score: sc, Cursor: Cursor{Key: d.Key, Score: sc, Time: now.UnixMilli()}})
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

// score ranks one match as of now.
func score(q *query, d SearchDoc, now time.Time) float64 {
	terms := len(q.matcher.Terms)
	titleWords, excerptWords := vntext.Words(d.Title), vntext.Words(d.Excerpt)
	inTitle, titlePhrase := coverage(q, titleWords)
	inExcerpt, excerptPhrase := coverage(q, excerptWords)
	score := weightBody
	score += weightTitle * float64(inTitle) / float64(terms)
	score += weightExcerpt * float64(inExcerpt) / float64(terms)
	if titlePhrase {
		score += weightPhrase
	} else if excerptPhrase {
		score += weightPhrase / 2
	}
	score += weightAccents * accentShare(q, d.Title+" "+d.Excerpt)
	age := max(now.Sub(d.PublishedAt), 0)
	decay := math.Exp2(-float64(age) / float64(recencyHalfLife))
	return score * (recencyBaseShare + (1-recencyBaseShare)*decay)
}

// coverage counts the distinct terms among words and reports whether the
// terms stand together in order (a phrase; a single term always does).
func coverage(q *query, words []vntext.Word) (int, bool) {
	found := map[int]bool{}
	phrase := false
	n := len(q.matcher.Terms)
	for i, w := range words {
		t := q.matcher.Match(w.Folded)
		if t < 0 {
			continue
		}
		found[t] = true
		if t == 0 && !phrase && i+n <= len(words) {
			phrase = true
			for j := 1; j < n; j++ {
				if q.matcher.Match(words[i+j].Folded) != j {
					phrase = false
					break
				}
			}
		}
	}
	return len(found), phrase
}

// accentShare is the share of the query's accented words that appear with
// the same accents in text (lowercased).
func accentShare(q *query, text string) float64 {
	if len(q.accented) == 0 {
		return 0
	}
	runes := []rune(strings.ToLower(text))
	words := map[string]bool{}
	for _, w := range vntext.Words(string(runes)) {
		words[string(runes[w.Start:w.End])] = true
	}
	n := 0
	for _, w := range q.accented {
		if words[w] {
			n++
		}
	}
	return float64(n) / float64(len(q.accented))
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
