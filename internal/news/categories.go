package news

import (
	"context"
	"sync/atomic"
)

// CategoryTree is the category tree, indexed.
type CategoryTree struct {
	// Top are the top-level categories by position.
	Top      []*Category
	byID     map[int64]*Category
	bySlug   map[string]*Category
	children map[int64][]*Category
}

// NewCategoryTree indexes a list of categories ordered by position.
func NewCategoryTree(list []*Category) *CategoryTree {
	c := &CategoryTree{
		byID:     make(map[int64]*Category, len(list)),
		bySlug:   make(map[string]*Category, len(list)),
		children: map[int64][]*Category{},
	}
	for _, cat := range list {
		c.byID[cat.ID] = cat
		c.bySlug[cat.Slug] = cat
		if cat.ParentID == 0 {
			c.Top = append(c.Top, cat)
		} else {
			c.children[cat.ParentID] = append(c.children[cat.ParentID], cat)
		}
	}
	return c
}

// ByID returns the category with id, or nil.
func (c *CategoryTree) ByID(id int64) *Category { return c.byID[id] }

// BySlug returns the category with slug, or nil.
func (c *CategoryTree) BySlug(slug string) *Category { return c.bySlug[slug] }

// Children returns the sub-categories of id by position (never nil).
func (c *CategoryTree) Children(id int64) []*Category {
	if ch := c.children[id]; ch != nil {
		return ch
	}
	return []*Category{}
}

// CategoryCache keeps a store's categories, list and tree, for one store
// generation: the tree is small and read by nearly every page (callers
// must not change what they get).
type CategoryCache struct{ p atomic.Pointer[categoriesOf] }

// categoriesOf is the categories as of a generation.
type categoriesOf struct {
	gen  uint64
	list []*Category
	tree *CategoryTree
}

// Get returns the categories as of generation gen (read before the load,
// so that a write during it moves gen on), read with load unless kept.
func (c *CategoryCache) Get(ctx context.Context, gen uint64, load func(context.Context) ([]*Category, error)) ([]*Category, *CategoryTree, error) {
	if k := c.p.Load(); k != nil && k.gen == gen {
		return k.list, k.tree, nil
	}
	list, err := load(ctx)
	if err != nil {
		return nil, nil, err
	}
	k := &categoriesOf{gen: gen, list: list, tree: NewCategoryTree(list)}
	c.p.Store(k)
	return k.list, k.tree, nil
}
