package news

import (
	"math"
	"slices"
	"time"

	"github.com/newsdesk/newsdesk/internal/vntext"
)

// Related news ("Tin khác") settings.
const (
	// RelatedWindow is how far apart in time two stories may be to be
	// related by computation (editors can pin any story).
	RelatedWindow = 90 * 24 * time.Hour
	// RelatedStored is how many computed related stories are kept per
	// article.
	RelatedStored = 20
	// relatedHalfLife is the age gap that halves a candidate's score.
	relatedHalfLife = 60 * 24 * time.Hour
)

// RelatedCandidate is a story that may be related to another: what it
// shares with it.
type RelatedCandidate struct {
	ID           int64
	PublishedAt  time.Time
	Title        string
	SharedTags   int
	SameCategory bool
	Score        float64
}

// RankRelated scores candidates for the article a (whose title is title)
// and returns the best limit, best first: shared tags weigh most, then the
// same category, then shared title words, all decayed by the time between
// the two stories. The article itself and candidates sharing nothing are
// dropped.
func RankRelated(id int64, title string, publishedAt time.Time, cands []RelatedCandidate, limit int) []RelatedCandidate {
	words := map[string]bool{}
	for _, w := range vntext.Words(title) {
		words[w.Folded] = true
	}
	out := cands[:0:0]
	for _, c := range cands {
		if c.ID == id {
			continue
		}
		shared := 0
		seen := map[string]bool{}
		for _, w := range vntext.Words(c.Title) {
			if words[w.Folded] && !seen[w.Folded] {
				seen[w.Folded] = true
				shared++
			}
		}
		score := 3*float64(c.SharedTags) + 0.5*float64(shared)
		if c.SameCategory {
			score += 2
		}
		if c.SharedTags == 0 && !c.SameCategory && shared < 2 {
			continue // one common syllable is not a relation
		}
		gap := c.PublishedAt.Sub(publishedAt)
		if gap < 0 {
			gap = -gap
		}
		c.Score = score * math.Exp2(-float64(gap)/float64(relatedHalfLife))
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b RelatedCandidate) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		case a.PublishedAt.After(b.PublishedAt):
			return -1
		case a.PublishedAt.Before(b.PublishedAt):
			return 1
		}
		return 0
	})
	return out[:min(limit, len(out))]
}
