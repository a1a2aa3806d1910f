package rest

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/newsdesk/newsdesk/internal/news"
)

// params reads a request's query parameters, collecting the first error.
type params struct {
	q   url.Values
	err error
}

func (p *params) fail(err error) {
	if p.err == nil {
		p.err = err
	}
}

// limit reads ?limit=: 1..most, def when absent.
func (p *params) limit(def, most int) int {
	raw := p.q.Get("limit")
	if raw == "" {
		return def
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > most {
		p.fail(news.Invalid("limit", "must be a whole number from 1 to %d", most))
		return def
	}
	return n
}

// page reads ?limit= and ?cursor= into a forward page.
func (p *params) page() news.Page {
	pg := news.Page{Limit: p.limit(news.DefaultPageSize, news.MaxPageSize)}
	if raw := p.q.Get("cursor"); raw != "" {
		c, err := news.ParseCursor("cursor", raw)
		if err != nil {
			p.fail(err)
		}
		pg.After = &c
	}
	return pg
}

// filter reads the list filters: category, tag, author, and status (for
// editors).
func (p *params) filter() news.ArticleFilter {
	f := news.ArticleFilter{Category: p.q.Get("category"), Tag: p.q.Get("tag"), Author: p.q.Get("author")}
	if s := p.q.Get("status"); s != "" {
		f.Status = news.ArticleStatus(strings.ToUpper(s))
		switch f.Status {
		case news.ArticleDraft, news.ArticleScheduled, news.ArticlePublished, news.ArticleArchived:
		default:
			p.fail(news.Invalid("status", "must be draft, scheduled, published or archived"))
		}
	}
	return f
}

func (p *params) fields() fieldSet {
	fs, err := parseFields(p.q.Get("fields"))
	if err != nil {
		p.fail(err)
	}
	return fs
}

// views shapes a page of articles, reading only the parts the fields need.
func (h *handler) views(r *http.Request, reader news.Reader, list []*news.Article, fs fieldSet) ([]any, error) {
	views, err := news.LoadViews(r.Context(), reader, list, fs.parts())
	if err != nil {
		return nil, err
	}
	now := h.cfg.Now()
	out := make([]any, len(views))
	for i, v := range views {
		out[i] = fs.article(v, now)
	}
	return out, nil
}

func (h *handler) articles(w http.ResponseWriter, r *http.Request) error {
	p := &params{q: r.URL.Query()}
	f, pg, fs := p.filter(), p.page(), p.fields()
	if p.err != nil {
		return p.err
	}
	if f.Status != "" && f.Status != news.ArticlePublished {
		if err := news.Require(r.Context(), news.RoleEditor); err != nil {
			return err
		}
	}
	reader := h.reader(r)
	pg.WithBody = fs.withBody()
	l, err := reader.FindArticles(r.Context(), f, pg)
	if err != nil {
		return err
	}
	var next string
	if l.HasNext {
		next = f.Cursor(l.Items[len(l.Items)-1]).String()
	}
	return h.writeList(w, r, reader, l.Items, fs, next)
}

func (h *handler) article(w http.ResponseWriter, r *http.Request) error {
	p := &params{q: r.URL.Query()}
	fs := p.fields()
	if p.err != nil {
		return p.err
	}
	view, err := news.ViewBySlug(r.Context(), h.reader(r), r.PathValue("slug"), fs.parts())
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, fs.pick(articleOf(view, h.cfg.Now(), true)))
	return nil
}

func (h *handler) related(w http.ResponseWriter, r *http.Request) error {
	p := &params{q: r.URL.Query()}
	n, fs := p.limit(5, news.MaxPageSize), p.fields()
	if p.err != nil {
		return p.err
	}
	id, err := h.reader(r).ArticleIDBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	ids, err := h.cfg.Store.RelatedArticleIDs(r.Context(), id, n)
	if err != nil {
		return err
	}
	list, err := news.ArticlesInOrder(r.Context(), h.cfg.Store, ids)
	if err != nil {
		return err
	}
	return h.writeList(w, r, h.cfg.Store, list, fs, "")
}

func (h *handler) categories(w http.ResponseWriter, r *http.Request) error {
	tree, err := h.cfg.Store.CategoryTree(r.Context())
	if err != nil {
		return err
	}
	out := List{Items: make([]any, len(tree.Top))}
	for i, c := range tree.Top {
		out.Items[i] = categoryOf(tree, c)
	}
	WriteJSON(w, http.StatusOK, out)
	return nil
}

func (h *handler) category(w http.ResponseWriter, r *http.Request) error {
	tree, err := h.cfg.Store.CategoryTree(r.Context())
	if err != nil {
		return err
	}
	c := tree.BySlug(r.PathValue("slug"))
	if c == nil {
		return news.Errorf(news.ENOTFOUND, "no category with slug %q", truncate(r.PathValue("slug"), 120))
	}
	WriteJSON(w, http.StatusOK, categoryOf(tree, c))
	return nil
}

func (h *handler) author(w http.ResponseWriter, r *http.Request) error {
	a, err := h.cfg.Store.AuthorBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, Author{ID: news.NodeID(news.KindAuthor, a.ID), Slug: a.Slug, Name: a.Name, Bio: a.Bio, AvatarURL: avatar(a)})
	return nil
}

func (h *handler) tag(w http.ResponseWriter, r *http.Request) error {
	t, err := h.cfg.Store.TagBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, Tag{ID: news.NodeID(news.KindTag, t.ID), Slug: t.Slug, Name: t.Name})
	return nil
}

func (h *handler) search(w http.ResponseWriter, r *http.Request) error {
	p := &params{q: r.URL.Query()}
	req := news.SearchRequest{Query: p.q.Get("q"), Filter: p.filter(), Order: news.OrderRelevance}
	pg, fs := p.page(), p.fields()
	switch strings.ToLower(p.q.Get("order")) {
	case "", "relevance":
	case "newest":
		req.Order = news.OrderNewest
	default:
		p.fail(news.Invalid("order", "must be relevance or newest"))
	}
	if req.Filter.Status != "" {
		p.fail(news.Invalid("status", "search covers published articles only"))
	}
	if p.err != nil {
		return p.err
	}
	l, err := h.cfg.Searcher.Search(r.Context(), req, pg)
	if err != nil {
		return err
	}
	list := make([]*news.Article, len(l.Items))
	for i, hit := range l.Items {
		list[i] = hit.Article
	}
	items, err := h.views(r, h.cfg.Store, list, fs)
	if err != nil {
		return err
	}
	out := List{Items: make([]any, len(items))}
	for i, hit := range l.Items {
		out.Items[i] = SearchHit{Article: items[i], Score: hit.Score, Highlight: Highlight{Title: hit.Title, Snippet: hit.Snippet}}
	}
	if l.HasNext {
		out.NextCursor = l.Items[len(l.Items)-1].Cursor.String()
	}
	WriteJSON(w, http.StatusOK, out)
	return nil
}

func (h *handler) mostRead(w http.ResponseWriter, r *http.Request) error {
	p := &params{q: r.URL.Query()}
	n, fs := p.limit(10, news.MaxMostRead), p.fields()
	period := news.Period(strings.ToUpper(p.q.Get("period")))
	if period == "" {
		period = news.PeriodDay
	}
	if p.err != nil {
		return p.err
	}
	list, err := news.MostReadArticles(r.Context(), h.cfg.Store, h.cfg.ViewStore, period, p.q.Get("category"), n, h.cfg.Now())
	if err != nil {
		return err
	}
	return h.writeList(w, r, h.cfg.Store, list, fs, "")
}

// countView counts a view of a published story; views are batched, so the
// answer is 202 Accepted.
func (h *handler) countView(w http.ResponseWriter, r *http.Request) error {
	id, err := h.cfg.Store.ArticleIDBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	h.cfg.Views.Add(id)
	WriteJSON(w, http.StatusAccepted, map[string]bool{"accepted": true})
	return nil
}
