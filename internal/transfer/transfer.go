// Package transfer moves a whole site between stores as NDJSON, one
// news.Record a line: `newsdesk export` from SQLite and `newsdesk import`
// into PostgreSQL (or back). The export reads through the stores' public
// interfaces; each store imports records as they are, ids and times kept.
package transfer

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Store is a store a site can be moved out of and into.
type Store interface {
	news.Store
	news.SiteStore
}

// Counts says how many records of each kind moved.
type Counts map[string]int

// page is how many articles an export reads at a time, and how many
// records an import writes in one transaction.
const page = 500

// Export writes every record of the site in src to w: categories (parents
// first), authors, tags, articles of every status with their links, their
// related lists, revisions, API keys, webhooks and registered queries.
// View counts and the webhook outbox's history are not moved.
func Export(ctx context.Context, src Store, w io.Writer) (Counts, error) {
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	n := Counts{}
	emit := func(kind string, r *news.Record) error {
		n[kind]++
		return enc.Encode(r)
	}
	cats, err := src.Categories(ctx)
	if err != nil {
		return n, err
	}
	for _, c := range cats {
		if err := emit("categories", &news.Record{Category: c}); err != nil {
			return n, err
		}
	}
	if err := all(ctx, src.FindAuthors, func(a *news.Author) error { return emit("authors", &news.Record{Author: a}) }); err != nil {
		return n, err
	}
	if err := all(ctx, src.FindTags, func(t *news.Tag) error { return emit("tags", &news.Record{Tag: t}) }); err != nil {
		return n, err
	}
	var ids []int64
	preview := src.Preview()
	for _, status := range []news.ArticleStatus{news.ArticlePublished, news.ArticleScheduled, news.ArticleDraft, news.ArticleArchived} {
		f := news.ArticleFilter{Status: status}
		err := all(ctx, func(ctx context.Context, p news.Page) (*news.List[news.Article], error) {
			p.WithBody = true
			l, err := preview.FindArticles(ctx, f, p)
			if err != nil {
				return nil, err
			}
			pageIDs := make([]int64, len(l.Items))
			for i, a := range l.Items {
				pageIDs[i] = a.ID
			}
			authors, tags, err := preview.LinksOfArticles(ctx, pageIDs, news.ViewParts{Authors: true, Tags: true})
			if err != nil {
				return nil, err
			}
			for i, listed := range l.Items {
				// A copy: what a store returns may be shared with its caches.
				a := *listed
				a.AuthorIDs, a.TagIDs = []int64{}, []int64{}
				for _, au := range authors[a.ID] {
					a.AuthorIDs = append(a.AuthorIDs, au.ID)
				}
				for _, t := range tags[a.ID] {
					a.TagIDs = append(a.TagIDs, t.ID)
				}
				l.Items[i] = &a
			}
			return l, nil
		}, func(a *news.Article) error {
			ids = append(ids, a.ID)
			return emit("articles", &news.Record{Article: a})
		}, f.Cursor)
		if err != nil {
			return n, err
		}
	}
	for start := 0; start < len(ids); start += page {
		lists, err := src.RelatedLists(ctx, ids[start:min(start+page, len(ids))])
		if err != nil {
			return n, err
		}
		for _, l := range lists {
			if err := emit("related lists", &news.Record{Related: l}); err != nil {
				return n, err
			}
		}
	}
	for _, id := range ids {
		revs, err := src.Revisions(ctx, id)
		if err != nil {
			return n, err
		}
		for i := len(revs) - 1; i >= 0; i-- { // oldest first
			if err := emit("revisions", &news.Record{Revision: revs[i]}); err != nil {
				return n, err
			}
		}
	}
	keys, err := src.Keys(ctx)
	if err != nil {
		return n, err
	}
	for _, k := range keys {
		_, hash, err := src.KeyHash(ctx, k.ID)
		if err != nil {
			return n, err
		}
		if err := emit("keys", &news.Record{Key: &news.KeyRecord{APIKey: *k, Hash: hash}}); err != nil {
			return n, err
		}
	}
	hooks, err := src.Webhooks(ctx)
	if err != nil {
		return n, err
	}
	for _, h := range hooks {
		if err := emit("webhooks", &news.Record{Webhook: h}); err != nil {
			return n, err
		}
	}
	queries, err := src.PersistedQueries(ctx)
	if err != nil {
		return n, err
	}
	for _, q := range queries {
		if err := emit("queries", &news.Record{Query: q}); err != nil {
			return n, err
		}
	}
	return n, bw.Flush()
}

// all pages through a list with keyset cursors, handing each item to fn.
// cursor, when given, is the item's position; else items page by slug.
func all[T any](ctx context.Context, find func(context.Context, news.Page) (*news.List[T], error), fn func(*T) error, cursor ...func(*T) news.Cursor) error {
	p := news.Page{Limit: page}
	for {
		l, err := find(ctx, p)
		if err != nil {
			return err
		}
		for _, v := range l.Items {
			if err := fn(v); err != nil {
				return err
			}
		}
		if !l.HasNext || len(l.Items) == 0 {
			return nil
		}
		last := l.Items[len(l.Items)-1]
		var c news.Cursor
		if len(cursor) > 0 {
			c = cursor[0](last)
		} else {
			c = news.Cursor{Slug: slugOf(last)}
		}
		p.After = &c
	}
}

// slugOf reads the slug of an author or a tag.
func slugOf(v any) string {
	switch x := v.(type) {
	case *news.Author:
		return x.Slug
	case *news.Tag:
		return x.Slug
	}
	return ""
}

// Import reads an export from r into dst, which must be empty, in
// transactions of page records.
func Import(ctx context.Context, dst Store, r io.Reader) (Counts, error) {
	n := Counts{}
	cats, err := dst.Categories(ctx)
	if err != nil {
		return n, err
	}
	if len(cats) > 0 {
		return n, errors.New("import: the database already has content; import goes only into an empty one")
	}
	dec := json.NewDecoder(bufio.NewReaderSize(r, 1<<16))
	batch := make([]*news.Record, 0, page)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := dst.ImportRecords(ctx, batch)
		batch = batch[:0]
		return err
	}
	for line := 1; ; line++ {
		var rec news.Record
		if err := dec.Decode(&rec); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return n, fmt.Errorf("import: record %d: %w", line, err)
		}
		kind := Kind(&rec)
		if kind == "" {
			return n, fmt.Errorf("import: record %d holds nothing newsdesk knows", line)
		}
		n[kind]++
		if batch = append(batch, &rec); len(batch) == page {
			if err := flush(); err != nil {
				return n, fmt.Errorf("import: before record %d: %w", line, err)
			}
		}
	}
	if err := flush(); err != nil {
		return n, err
	}
	if err := dst.Analyze(ctx); err != nil {
		return n, fmt.Errorf("import: analyze: %w", err)
	}
	return n, nil
}

// Kind names what r holds, "" for nothing.
func Kind(r *news.Record) string {
	switch {
	case r.Category != nil:
		return "categories"
	case r.Author != nil:
		return "authors"
	case r.Tag != nil:
		return "tags"
	case r.Article != nil:
		return "articles"
	case r.Related != nil:
		return "related lists"
	case r.Revision != nil:
		return "revisions"
	case r.Key != nil:
		return "keys"
	case r.Webhook != nil:
		return "webhooks"
	case r.Query != nil:
		return "queries"
	}
	return ""
}
