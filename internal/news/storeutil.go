package news

// Pieces both stores share: what a list query's rows become and which
// statuses a reader may list (the link cache is in linkcache.go).

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
