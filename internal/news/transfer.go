package news

import "context"

// Record is one line of a site export (NDJSON, `newsdesk export`): exactly
// one of its fields is set. Ids and times are kept, so that a site moved
// between stores keeps its global ids, and with them every client's links.
type Record struct {
	Category *Category       `json:"category,omitempty"`
	Author   *Author         `json:"author,omitempty"`
	Tag      *Tag            `json:"tag,omitempty"`
	Article  *Article        `json:"article,omitempty"` // with AuthorIDs and TagIDs
	Related  *RelatedLists   `json:"related,omitempty"`
	Revision *Revision       `json:"revision,omitempty"`
	Key      *KeyRecord      `json:"key,omitempty"`
	Webhook  *Webhook        `json:"webhook,omitempty"`
	Query    *PersistedQuery `json:"query,omitempty"`
}

// RelatedLists are an article's related stories as stored: the ones an
// editor pinned, in order, and the computed ones, best first.
type RelatedLists struct {
	ArticleID int64
	Pinned    []int64    `json:",omitempty"`
	Computed  []ScoredID `json:",omitempty"`
}

// ScoredID is a computed related story and its score.
type ScoredID struct {
	ID    int64
	Score float64
}

// KeyRecord is an API key with its stored hash (valid only under the same
// pepper).
type KeyRecord struct {
	APIKey
	Hash []byte
}

// SiteStore is what moving a site in and out of a store needs beyond its
// reads.
type SiteStore interface {
	// RelatedLists returns the stored related lists of the articles ids
	// that have any.
	RelatedLists(ctx context.Context, ids []int64) ([]*RelatedLists, error)
	// ImportRecords stores records of an export as they are, ids and times
	// included, in one transaction; an article's search entry is made
	// anew. Records come in export order: what a record refers to is
	// already stored.
	ImportRecords(ctx context.Context, recs []*Record) error
	// Analyze tells the query planner the tables' new sizes, after an
	// import: until it knows them, it may pick scans over indexes.
	Analyze(ctx context.Context) error
}

// AppendRelated adds one stored related story to lists, rows coming by
// article, pinned before computed, each in order.
func AppendRelated(lists []*RelatedLists, article int64, computed bool, related int64, score float64) []*RelatedLists {
	if len(lists) == 0 || lists[len(lists)-1].ArticleID != article {
		lists = append(lists, &RelatedLists{ArticleID: article})
	}
	l := lists[len(lists)-1]
	if computed {
		l.Computed = append(l.Computed, ScoredID{ID: related, Score: score})
	} else {
		l.Pinned = append(l.Pinned, related)
	}
	return lists
}
