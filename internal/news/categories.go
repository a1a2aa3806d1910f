package news

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
