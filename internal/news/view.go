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

// ViewBySlug reads the visible article with the slug, with its links when
// parts asks for any (the store's one read of the article with its link
// ids), or alone: reading the links costs as much as the article, wasted
// when they are not shown.
func ViewBySlug(ctx context.Context, r Reader, slug string, parts ViewParts) (*ArticleView, error) {
	if parts.Authors || parts.Tags {
		return r.ArticleViewBySlug(ctx, slug)
	}
	a, err := r.ArticleBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	views, _, err := LoadViews(ctx, r, []*Article{a}, parts)
	if err != nil {
		return nil, err
	}
	return views[0], nil
}

// LoadViews reads what the articles need beside them from r, whatever the
// number of articles (the link ids and each kind of record in at most one
// statement, none when r has them cached), and pairs them up. The category
// tree is returned too: callers that show categories need it.
func LoadViews(ctx context.Context, r Reader, list []*Article, parts ViewParts) ([]*ArticleView, *CategoryTree, error) {
	tree, err := r.CategoryTree(ctx)
	if err != nil {
		return nil, nil, err
	}
	ids := make([]int64, len(list))
	for i, a := range list {
		ids[i] = a.ID
	}
	var authors map[int64][]*Author
	var tags map[int64][]*Tag
	switch {
	case len(ids) == 0:
	case parts.Authors && parts.Tags:
		authors, tags, err = r.LinksOfArticles(ctx, ids)
	case parts.Authors:
		authors, err = r.AuthorsOfArticles(ctx, ids)
	case parts.Tags:
		tags, err = r.TagsOfArticles(ctx, ids)
	}
	if err != nil {
		return nil, nil, err
	}
	out := make([]*ArticleView, len(list))
	for i, a := range list {
		out[i] = &ArticleView{Article: a, Authors: authors[a.ID], Tags: tags[a.ID], Category: tree.ByID(a.CategoryID)}
	}
	return out, tree, nil
}
