package news

import (
	"context"
	"time"
)

// Period is a most-read window.
type Period string

// Most-read windows: the last 24 hours, 7 days, 30 days.
const (
	PeriodDay   Period = "DAY"
	PeriodWeek  Period = "WEEK"
	PeriodMonth Period = "MONTH"
)

// Since returns the start of the window p at now.
func (p Period) Since(now time.Time) (time.Time, error) {
	switch p {
	case PeriodDay:
		return now.Add(-24 * time.Hour), nil
	case PeriodWeek:
		return now.AddDate(0, 0, -7), nil
	case PeriodMonth:
		return now.AddDate(0, 0, -30), nil
	}
	return time.Time{}, Invalid("period", "must be DAY, WEEK or MONTH")
}

// ViewStore counts article views.
type ViewStore interface {
	// AddViews adds counts (by article id) seen in the hour of at.
	AddViews(ctx context.Context, counts map[int64]int, at time.Time) error
	// MostRead returns the ids of the visible articles read most since
	// then, best first, within the category (slug, with its
	// sub-categories) when one is given.
	MostRead(ctx context.Context, since time.Time, category string, limit int) ([]int64, error)
}

// MaxMostRead bounds a most-read list.
const MaxMostRead = 50

// MostReadArticles returns the visible articles read most in the window p
// at now, best first, within category (a slug) if given. Transports check
// limit (1..MaxMostRead) against their own argument.
func MostReadArticles(ctx context.Context, r Reader, vs ViewStore, p Period, category string, limit int, now time.Time) ([]*Article, error) {
	since, err := p.Since(now)
	if err != nil {
		return nil, err
	}
	ids, err := vs.MostRead(ctx, since, category, limit)
	if err != nil {
		return nil, err
	}
	return ArticlesInOrder(ctx, r, ids)
}

// ArticlesInOrder reads the articles ids in that order, leaving out those
// r does not see.
func ArticlesInOrder(ctx context.Context, r Reader, ids []int64) ([]*Article, error) {
	byID, err := r.ArticlesByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*Article, 0, len(ids))
	for _, id := range ids {
		if a := byID[id]; a != nil {
			out = append(out, a)
		}
	}
	return out, nil
}

// ViewCounter takes views as they happen (and writes them to a ViewStore
// later).
type ViewCounter interface {
	Add(articleID int64)
}
