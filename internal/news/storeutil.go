package news

import (
	"encoding/json"
	"fmt"
	"time"
)

// Pieces both stores share: what a list query's rows become, which
// statuses a reader may list, and the authors and tags an article page
// reads as JSON in its one statement.

// PageOf trims the one extra row a list query reads to learn whether there
// is more, and puts a backward page back in list order.
func PageOf[T any](items []*T, p Page) *List[T] {
	more := len(items) > p.Limit
	if more {
		items = items[:p.Limit]
	}
	out := &List[T]{Items: items}
	if p.Backward {
		for i, j := 0, len(items)-1; i < j; i, j = i+1, j-1 {
			items[i], items[j] = items[j], items[i]
		}
		out.HasPrevious, out.HasNext = more, p.Before != nil
	} else {
		out.HasNext, out.HasPrevious = more, p.After != nil
	}
	return out
}

// CheckListStatus refuses a list of status s to a public reader (anything
// but published) and an unknown status to anyone.
func CheckListStatus(s ArticleStatus, preview bool) error {
	switch s {
	case "", ArticlePublished:
	case ArticleScheduled, ArticleDraft, ArticleArchived:
		if !preview {
			return Errorf(EFORBIDDEN, "status: only editors can list %s articles", s)
		}
	default:
		return Invalid("status", "unknown status %q", s)
	}
	return nil
}

// DecodeLinks reads an article's authors, a JSON array of [id, slug, name,
// bio, avatar URL, created (Unix ms)], and its tags, of [id, slug, name,
// created], both in order; timeOf converts the stored times. The slices
// are never nil.
func DecodeLinks(authorsJSON, tagsJSON []byte, timeOf func(ms int64) time.Time) ([]*Author, []*Tag, error) {
	var authors [][6]any
	var tags [][4]any
	if err := json.Unmarshal(authorsJSON, &authors); err != nil {
		return nil, nil, fmt.Errorf("authors: %w", err)
	}
	if err := json.Unmarshal(tagsJSON, &tags); err != nil {
		return nil, nil, fmt.Errorf("tags: %w", err)
	}
	outA := make([]*Author, len(authors))
	for i, x := range authors {
		outA[i] = &Author{ID: jsonInt(x[0]), Slug: jsonString(x[1]), Name: jsonString(x[2]),
			Bio: jsonString(x[3]), AvatarURL: jsonString(x[4]), CreatedAt: timeOf(jsonInt(x[5]))}
	}
	outT := make([]*Tag, len(tags))
	for i, x := range tags {
		outT[i] = &Tag{ID: jsonInt(x[0]), Slug: jsonString(x[1]), Name: jsonString(x[2]), CreatedAt: timeOf(jsonInt(x[3]))}
	}
	return outA, outT, nil
}

// jsonInt reads a JSON number (ids and Unix milliseconds fit a float64
// exactly).
func jsonInt(v any) int64 {
	f, _ := v.(float64)
	return int64(f)
}

func jsonString(v any) string {
	s, _ := v.(string)
	return s
}

// UniqueIDs returns ids without repeats, in first-seen order; never nil.
func UniqueIDs(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
