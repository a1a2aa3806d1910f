package sqlite_test

import (
	"context"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/sqlite"
	"github.com/newsdesk/newsdesk/internal/vntext"
)

// benchDB opens the database named by NEWSDESK_BENCH_DB (made by
// "newsdesk seed --synthetic N"), or skips: these benchmarks measure a
// large corpus, not the demo.
func benchDB(b *testing.B) *sqlite.DB { return benchDBWith(b, sqlite.Options{}) }

// articleCaches are the article cache settings the reads of articles are
// measured with: the default, and none.
var articleCaches = []struct {
	name  string
	bytes int64
}{{"article cache", 0}, {"no article cache", -1}}

func benchDBWith(b *testing.B, o sqlite.Options) *sqlite.DB {
	path := os.Getenv("NEWSDESK_BENCH_DB")
	if path == "" {
		b.Skip("set NEWSDESK_BENCH_DB to a database made by newsdesk seed --synthetic N")
	}
	db, err := sqlite.Open(context.Background(), path, o)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// benchQueries makes n varied queries from the corpus's own titles: one to
// four syllables, common and rare, accented and folded, some cut short as
// if still being typed.
func benchQueries(b *testing.B, db *sqlite.DB, n int) []string {
	r := rand.New(rand.NewPCG(1, 2))
	l, err := db.FindArticles(context.Background(), news.ArticleFilter{}, news.Page{Limit: 100})
	if err != nil {
		b.Fatal(err)
	}
	var words []string
	for _, a := range l.Items {
		words = append(words, strings.Fields(a.Title)...)
	}
	qs := make([]string, n)
	for i := range qs {
		start := r.IntN(len(words))
		k := 1 + r.IntN(4)
		q := strings.Join(words[start:min(start+k, len(words))], " ")
		switch r.IntN(4) {
		case 0:
			q = vntext.FoldWords(q)
		case 1:
			if rs := []rune(q); len(rs) > 3 {
				q = string(rs[:len(rs)-1]) // still typing
			}
		}
		qs[i] = q
	}
	return qs
}

// percentiles reports p50 and p95 of durations as benchmark metrics.
func percentiles(b *testing.B, d []time.Duration) {
	slices.Sort(d)
	b.ReportMetric(float64(d[len(d)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(d[len(d)*95/100].Microseconds())/1000, "p95-ms")
}

func BenchmarkSearchLarge(b *testing.B) {
	db := benchDB(b)
	qs := benchQueries(b, db, 200)
	for _, order := range []news.SearchOrder{news.OrderRelevance, news.OrderNewest} {
		b.Run(string(order), func(b *testing.B) {
			s := &news.Searcher{Store: db}
			var times []time.Duration
			for i := 0; b.Loop(); i++ {
				start := time.Now()
				if _, err := s.Search(context.Background(), news.SearchRequest{Query: qs[i%len(qs)], Order: order}, news.Page{Limit: 20}); err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(start))
			}
			percentiles(b, times)
		})
	}
}

func BenchmarkRelatedLarge(b *testing.B) {
	db := benchDB(b)
	l, err := db.FindArticles(context.Background(), news.ArticleFilter{}, news.Page{Limit: 100})
	if err != nil {
		b.Fatal(err)
	}
	var times []time.Duration
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if _, err := db.RelatedArticleIDs(context.Background(), l.Items[i%len(l.Items)].ID, 5); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
	}
	percentiles(b, times)
}

func BenchmarkCategoryPageLarge(b *testing.B) {
	for _, c := range articleCaches {
		b.Run(c.name, func(b *testing.B) {
			db := benchDBWith(b, sqlite.Options{ArticleCacheBytes: c.bytes})
			var times []time.Duration
			after := &news.Cursor{Time: time.Now().AddDate(-1, 0, 0).UnixMilli(), ID: 1 << 40}
			for i := 0; b.Loop(); i++ {
				p := news.Page{Limit: 20}
				if i%2 == 1 {
					p.After = after // deep in the list: keyset, no offset
				}
				start := time.Now()
				if _, err := db.FindArticles(context.Background(), news.ArticleFilter{Category: "thoi-su"}, p); err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(start))
			}
			percentiles(b, times)
		})
	}
}

// BenchmarkArticleLarge reads articles by slug: the article alone, and
// with its authors and tags (an article page); and the authors and tags of
// a list of 20.
func BenchmarkArticleLarge(b *testing.B) {
	db := benchDB(b)
	l, err := db.FindArticles(context.Background(), news.ArticleFilter{}, news.Page{Limit: 100})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for _, c := range articleCaches {
		db := benchDBWith(b, sqlite.Options{ArticleCacheBytes: c.bytes})
		b.Run("article, "+c.name, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				if _, err := db.ArticleBySlug(ctx, l.Items[i%len(l.Items)].Slug); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("view, "+c.name, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				if _, err := db.ArticleViewBySlug(ctx, l.Items[i%len(l.Items)].Slug, news.ViewParts{Authors: true, Tags: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("links of 20", func(b *testing.B) {
		ids := make([]int64, len(l.Items))
		for i, a := range l.Items {
			ids[i] = a.ID
		}
		for i := 0; b.Loop(); i++ {
			start := i % (len(ids) - 20)
			if _, _, err := db.LinksOfArticles(ctx, ids[start:start+20], news.ViewParts{Authors: true, Tags: true}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
