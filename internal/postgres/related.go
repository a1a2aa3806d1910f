package postgres

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/vntext"
)

// RelatedArticleIDs implements news.Reader: pinned stories first, then the
// stored computed ones, visible only, never the article itself.
func (r reader) RelatedArticleIDs(ctx context.Context, id int64, limit int) ([]int64, error) {
	rows, err := r.db.query(ctx, r.pool, `SELECT r.related_id FROM (
			SELECT related_id, 0 AS grp, position FROM article_related WHERE article_id = $1
			UNION ALL
			SELECT related_id, 1 AS grp, position FROM related_computed WHERE article_id = $1) r
		JOIN articles a ON a.id = r.related_id
		WHERE a.status = 'published' AND a.published_at <= $2 AND r.related_id <> $1
		ORDER BY r.grp, r.position LIMIT $3`, id, r.db.nowMillis(), 2*limit)
	if err != nil {
		return nil, err
	}
	all, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, err
	}
	// A story pinned and also computed appears once.
	var ids []int64
	for _, rid := range all {
		if !slices.Contains(ids, rid) && len(ids) < limit {
			ids = append(ids, rid)
		}
	}
	return ids, nil
}

// refreshRelatedAround recomputes the related list of the article id, then
// of every story on that list and every story that listed it. The
// neighbours go in id order, so that two replicas' writes lock them in the
// same order.
func refreshRelatedAround(ctx context.Context, tx pgx.Tx, id int64) error {
	rows, err := tx.Query(ctx, `SELECT article_id FROM related_computed WHERE related_id = $1`, id)
	if err != nil {
		return err
	}
	affected, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return err
	}
	list, err := refreshRelated(ctx, tx, id)
	if err != nil {
		return err
	}
	affected = append(affected, list...)
	slices.Sort(affected)
	for _, a := range slices.Compact(affected) {
		if a == id {
			continue
		}
		if _, err := refreshRelated(ctx, tx, a); err != nil {
			return err
		}
	}
	return nil
}

// ids runs a query of one id column inside tx.
func ids(ctx context.Context, tx pgx.Tx, sql string, a ...any) ([]int64, error) {
	rows, err := tx.Query(ctx, sql, a...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// refreshRelated recomputes and stores the related list of the article id
// and returns it; news.RankRelated ranks, as in the SQLite store. An
// article that is not published gets an empty list.
func refreshRelated(ctx context.Context, tx pgx.Tx, id int64) ([]int64, error) {
	if _, err := tx.Exec(ctx, `DELETE FROM related_computed WHERE article_id = $1`, id); err != nil {
		return nil, err
	}
	var title, status string
	var published *int64
	var category int64
	err := tx.QueryRow(ctx, `SELECT title, published_at, category_id, status FROM articles WHERE id = $1`, id).
		Scan(&title, &published, &category, &status)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && (status != string(news.StatusPublished) || published == nil)) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	at := time.UnixMilli(*published)
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
	tags, err := ids(ctx, tx, `SELECT tag_id FROM article_tags WHERE article_id = $1`, id)
	if err != nil {
		return nil, err
	}
	for _, tag := range tags {
		// The 25 nearest in time on either side within the window.
		near, err := ids(ctx, tx, `(SELECT article_id FROM article_tags
			  WHERE tag_id = $1 AND pub_at BETWEEN $2 AND $3 AND article_id <> $5 ORDER BY pub_at DESC LIMIT 25)
			UNION ALL
			(SELECT article_id FROM article_tags
			  WHERE tag_id = $1 AND pub_at > $3 AND pub_at <= $4 AND article_id <> $5 ORDER BY pub_at LIMIT 25)`,
			tag, lo.UnixMilli(), at.UnixMilli(), hi.UnixMilli(), id)
		if err != nil {
			return nil, err
		}
		for _, cid := range near {
			get(cid).SharedTags++
		}
	}
	same, err := ids(ctx, tx, `(SELECT article_id FROM article_categories
		  WHERE category_id = $1 AND pub_at <= $2 AND article_id <> $3 ORDER BY pub_at DESC LIMIT 20)
		UNION ALL
		(SELECT article_id FROM article_categories
		  WHERE category_id = $1 AND pub_at > $2 AND article_id <> $3 ORDER BY pub_at LIMIT 20)`,
		category, at.UnixMilli(), id)
	if err != nil {
		return nil, err
	}
	for _, cid := range same {
		get(cid).SameCategory = true
	}
	if terms := vntext.Terms(title); len(terms) > 0 {
		byTitle, err := ids(ctx, tx, `SELECT a.id FROM articles a
			WHERE a.search_title @@ to_tsquery('simple', $1) AND a.search_key BETWEEN $2 AND $3 AND a.id <> $4
			ORDER BY a.search_key DESC LIMIT 60`,
			tsquery(terms, "|", false), news.SearchKeyBase(lo), news.SearchKeyBase(hi), id)
		if err != nil {
			return nil, err
		}
		for _, cid := range byTitle {
			get(cid)
		}
	}
	if len(cands) == 0 {
		return nil, nil
	}
	candIDs := make([]int64, 0, len(cands))
	for cid := range cands {
		candIDs = append(candIDs, cid)
	}
	rows, err := tx.Query(ctx, `SELECT id, title, published_at FROM articles WHERE id = ANY($1) AND status = 'published'`, candIDs)
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
	scores := make([]float64, len(best))
	for i, c := range best {
		out[i], scores[i] = c.ID, c.Score
	}
	if _, err := tx.Exec(ctx, `INSERT INTO related_computed (article_id, position, related_id, score)
		SELECT $1, r.n - 1, r.id, r.score FROM unnest($2::bigint[], $3::float8[]) WITH ORDINALITY AS r(id, score, n)`,
		id, out, scores); err != nil {
		return nil, err
	}
	return out, nil
}

// RefreshRelated recomputes the related list of every published article
// published at or after since (the zero time: all), in batches of 1,000 by
// id, reporting progress, and returns how many it computed.
func (db *DB) RefreshRelated(ctx context.Context, since time.Time, progress func(done int)) (int, error) {
	var last int64
	done := 0
	for {
		var batch []int64
		err := db.inTx(ctx, func(tx pgx.Tx) error {
			var err error
			batch, err = ids(ctx, tx, `SELECT id FROM articles
				WHERE id > $1 AND status = 'published' AND published_at >= $2 ORDER BY id LIMIT 1000`, last, since.UnixMilli())
			if err != nil {
				return err
			}
			for _, id := range batch {
				if _, err := refreshRelated(ctx, tx, id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil || len(batch) == 0 {
			return done, err
		}
		last = batch[len(batch)-1]
		done += len(batch)
		if progress != nil {
			progress(done)
		}
	}
}
