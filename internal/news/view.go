package news

import "context"

// ArticleView is an article with what a page shows beside it: its bylines,
// tags and category.
type ArticleView struct {
	*Article
	Authors  []*Author
	Tags     []*Tag
	Category *Category // nil only if the category vanished under a read
}

// ViewParts says which related records LoadViews reads.
type ViewParts struct {
	Authors, Tags bool
}

// ViewBySlug reads the visible article with the slug and its category,
// with the links parts asks for (the store's one read of the article with
// its link ids), or alone: reading the links costs as much as the article,
// wasted when they are not shown.
func ViewBySlug(ctx context.Context, r Reader, slug string, parts ViewParts) (*ArticleView, error) {
	var v *ArticleView
	if parts.Authors || parts.Tags {
		var err error
		if v, err = r.ArticleViewBySlug(ctx, slug, parts); err != nil {
			return nil, err
		}
	} else {
		a, err := r.ArticleBySlug(ctx, slug)
		if err != nil {
			return nil, err
		}
		v = &ArticleView{Article: a}
	}
	tree, err := r.CategoryTree(ctx)
	if err != nil {
		return nil, err
	}
	v.Category = tree.ByID(v.CategoryID)
	return v, nil
}

// LoadViews reads what the articles need beside them from r, whatever the
// number of articles (the link ids and each kind of record in at most one
// statement, none when r has them cached), and pairs them up.
func LoadViews(ctx context.Context, r Reader, list []*Article, parts ViewParts) ([]*ArticleView, error) {
	tree, err := r.CategoryTree(ctx)
	if err != nil {
		return nil, err
	}
	var authors map[int64][]*Author
	var tags map[int64][]*Tag
	if len(list) > 0 && (parts.Authors || parts.Tags) {
		ids := make([]int64, len(list))
		for i, a := range list {
			ids[i] = a.ID
		}
		if authors, tags, err = r.LinksOfArticles(ctx, ids, parts); err != nil {
			return nil, err
		}
	}
	out := make([]*ArticleView, len(list))
	for i, a := range list {
		out[i] = &ArticleView{Article: a, Authors: authors[a.ID], Tags: tags[a.ID], Category: tree.ByID(a.CategoryID)}
	}
	return out, nil
}
