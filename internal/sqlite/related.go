package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/vntext"
)

// relatedSQL reads an article's related stories: pinned ones first, then
// computed ones, visible only, never the article itself. ?1 the article,
// ?2 now, ?3 how many rows to read.
const relatedSQL = `SELECT r.related_id FROM (
		SELECT related_id, 0 AS grp, position FROM article_related WHERE article_id = ?1
		UNION ALL
		SELECT related_id, 1 AS grp, position FROM related_computed WHERE article_id = ?1) r
	JOIN articles a ON a.id = r.related_id
	WHERE a.status = 'published' AND a.published_at <= ?2 AND r.related_id <> ?1
	ORDER BY r.grp, r.position LIMIT ?3`

// RelatedArticleIDs implements news.Reader: one indexed query over the
// pinned and the stored computed lists.
func (db *DB) RelatedArticleIDs(ctx context.Context, id int64, limit int) ([]int64, error) {
	// A story pinned and also computed appears once: read enough for both.
	rows, err := db.query(ctx, relatedSQL, id, db.nowMillis(), 2*limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	seen := map[int64]bool{}
	for rows.Next() {
		var rid int64
		if err := rows.Scan(&rid); err != nil {
			return nil, err
		}
		if !seen[rid] && len(ids) < limit {
			seen[rid] = true
			ids = append(ids, rid)
		}
	}
	return ids, rows.Err()
}

// relatedStmts are the prepared statements that compute related lists inside
// one write transaction.
type relatedStmts struct {
	listedBy, clear, article, tagsOf, tagNear, category, titles, candidates, insert *sql.Stmt
}

func prepareRelated(ctx context.Context, tx *sql.Tx) (*relatedStmts, error) {
	st := &relatedStmts{}
	for _, p := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&st.listedBy, `SELECT article_id, 0 FROM related_computed WHERE related_id = ?`},
		{&st.clear, `DELETE FROM related_computed WHERE article_id = ?`},
		{&st.article, `SELECT title, published_at, category_id, status FROM articles WHERE id = ?`},
		{&st.tagsOf, `SELECT tag_id, 0 FROM article_tags WHERE article_id = ?`},
		// Stories with the tag ?1 within the window: the 25 nearest in time on
		// either side (a common tag has thousands).
		{&st.tagNear, `SELECT article_id, 0 FROM (SELECT article_id FROM article_tags
			  WHERE tag_id = ?1 AND pub_at BETWEEN ?2 AND ?3 AND article_id <> ?5 ORDER BY pub_at DESC LIMIT 25)
			UNION ALL
			SELECT article_id, 0 FROM (SELECT article_id FROM article_tags
			  WHERE tag_id = ?1 AND pub_at > ?3 AND pub_at <= ?4 AND article_id <> ?5 ORDER BY pub_at LIMIT 25)`},
		// The same category: the nearest stories on either side in time,
		// however far (a small site's section may publish once a season);
		// the decay ranks the far ones low.
		{&st.category, `SELECT article_id, 0 FROM (SELECT article_id FROM article_categories
			  WHERE category_id = ?1 AND pub_at <= ?2 AND article_id <> ?3 ORDER BY pub_at DESC LIMIT 20)
			UNION ALL
			SELECT article_id, 0 FROM (SELECT article_id FROM article_categories
			  WHERE category_id = ?1 AND pub_at > ?2 AND article_id <> ?3 ORDER BY pub_at LIMIT 20)`},
		// Title words, through the title index within the window.
		{&st.titles, `SELECT a.id, 0 FROM search_titles f JOIN articles a ON a.search_key = f.rowid
			WHERE search_titles MATCH ?1 AND f.rowid BETWEEN ?2 AND ?3 AND a.id <> ?4
			ORDER BY f.rowid DESC LIMIT 60`},
		{&st.candidates, `SELECT id, title, published_at FROM articles
			WHERE id IN (SELECT value FROM json_each(?)) AND status = 'published'`},
		// The ranked list in one statement: a JSON array of [id, score].
		{&st.insert, `INSERT INTO related_computed (article_id, position, related_id, score)
			SELECT ?1, key, value ->> 0, value ->> 1 FROM json_each(?2)`},
	} {
		stmt, err := tx.PrepareContext(ctx, p.query)
		if err != nil {
			st.close()
			return nil, fmt.Errorf("prepare related: %w", err)
		}
		*p.dst = stmt
	}
	return st, nil
}

func (st *relatedStmts) close() {
	for _, s := range []*sql.Stmt{st.listedBy, st.clear, st.article, st.tagsOf, st.tagNear, st.category, st.titles, st.candidates, st.insert} {
		if s != nil {
			s.Close()
		}
	}
}

// refreshRelatedAround recomputes the related list of the article id, then
// of every story on that list and every story that listed it, since a new,
// changed or unpublished story changes its neighbours' lists too.
func refreshRelatedAround(ctx context.Context, tx *sql.Tx, id int64) error {
	st, err := prepareRelated(ctx, tx)
	if err != nil {
		return err
	}
	defer st.close()
	affected := map[int64]bool{}
	if err := scanPairs(ctx, st.listedBy, func(a, _ int64) { affected[a] = true }, id); err != nil {
		return err
	}
	list, err := st.refresh(ctx, id)
	if err != nil {
		return err
	}
	for _, r := range list {
		affected[r] = true
	}
	delete(affected, id)
	for a := range affected {
		if _, err := st.refresh(ctx, a); err != nil {
			return err
		}
	}
	return nil
}

// refresh recomputes and stores the related list of the article id and
// returns it. An article that is not published gets an empty list.
func (st *relatedStmts) refresh(ctx context.Context, id int64) ([]int64, error) {
	if _, err := st.clear.ExecContext(ctx, id); err != nil {
		return nil, err
	}
	var title string
	var published sql.NullInt64
	var category int64
	var status string
	err := st.article.QueryRowContext(ctx, id).Scan(&title, &published, &category, &status)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (status != string(news.StatusPublished) || !published.Valid)) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	at := time.UnixMilli(published.Int64)
	lo, hi := at.Add(-news.RelatedWindow), at.Add(news.RelatedWindow)
	cands := map[int64]*news.RelatedCandidate{}
	get := func(cid int64) *news.RelatedCandidate {
		c := cands[cid]
		if c == nil {
			c = &news.RelatedCandidate{ID: cid}
			cands[cid] = c
		}
		return c
	}
	var tags []int64
	if err := scanPairs(ctx, st.tagsOf, func(tag, _ int64) { tags = append(tags, tag) }, id); err != nil {
		return nil, err
	}
	for _, tag := range tags {
		if err := scanPairs(ctx, st.tagNear, func(cid, _ int64) { get(cid).SharedTags++ },
			tag, lo.UnixMilli(), at.UnixMilli(), hi.UnixMilli(), id); err != nil {
			return nil, err
		}
	}
	if err := scanPairs(ctx, st.category, func(cid, _ int64) { get(cid).SameCategory = true },
		category, at.UnixMilli(), id); err != nil {
		return nil, err
	}
	if terms := vntext.Terms(title); len(terms) > 0 {
		expr := `"` + strings.Join(terms, `" OR "`) + `"`
		if err := scanPairs(ctx, st.titles, func(cid, _ int64) { get(cid) },
			expr, news.SearchKeyBase(lo), news.SearchKeyBase(hi), id); err != nil {
			return nil, err
		}
	}
	if len(cands) == 0 {
		return nil, nil
	}
	ids := make([]int64, 0, len(cands))
	for cid := range cands {
		ids = append(ids, cid)
	}
	rows, err := st.candidates.QueryContext(ctx, idList(ids))
	if err != nil {
		return nil, err
	}
	list := make([]news.RelatedCandidate, 0, len(cands))
	for rows.Next() {
		var cid, pub int64
		var t string
		if err := rows.Scan(&cid, &t, &pub); err != nil {
			rows.Close()
			return nil, err
		}
		c := cands[cid]
		c.Title, c.PublishedAt = t, time.UnixMilli(pub)
		list = append(list, *c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	best := news.RankRelated(id, title, at, list, news.RelatedStored)
	out := make([]int64, len(best))
	pairs := make([][2]any, len(best))
	for i, c := range best {
		out[i] = c.ID
		pairs[i] = [2]any{c.ID, c.Score}
	}
	b, err := json.Marshal(pairs)
	if err != nil {
		return nil, err
	}
	if _, err := st.insert.ExecContext(ctx, id, string(b)); err != nil {
		return nil, fmt.Errorf("store related: %w", err)
	}
	return out, nil
}

// scanPairs runs a query of (id, number) rows and hands each to fn.
func scanPairs(ctx context.Context, stmt *sql.Stmt, fn func(id, n int64), args ...any) error {
	rows, err := stmt.QueryContext(ctx, args...)
	if err != nil {
		return fmt.Errorf("related candidates: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			return err
		}
		fn(id, n)
	}
	return rows.Err()
}

// RefreshRelated recomputes the related list of every published article
// published at or after since (the zero time: all), oldest id first, in
// batches, reporting progress; a bulk load leaves the lists empty. It
// returns how many articles it computed.
func (db *DB) RefreshRelated(ctx context.Context, since time.Time, progress func(done int)) (int, error) {
	var last int64
	done := 0
	for {
		var ids []int64
		err := db.inTx(ctx, func(tx *sql.Tx) error {
			rows, err := tx.QueryContext(ctx, `SELECT id FROM articles
				WHERE id > ? AND status = 'published' AND published_at >= ? ORDER BY id LIMIT 1000`, last, since.UnixMilli())
			if err != nil {
				return err
			}
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return err
				}
				ids = append(ids, id)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			st, err := prepareRelated(ctx, tx)
			if err != nil {
				return err
			}
			defer st.close()
			for _, id := range ids {
				if _, err := st.refresh(ctx, id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return done, err
		}
		if len(ids) == 0 {
			return done, nil
		}
		last = ids[len(ids)-1]
		done += len(ids)
		if progress != nil {
			progress(done)
		}
	}
}
