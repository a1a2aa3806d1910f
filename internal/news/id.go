package news

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// Kind names a type of node for global ids.
type Kind string

// Node kinds.
const (
	KindArticle  Kind = "Article"
	KindAuthor   Kind = "Author"
	KindCategory Kind = "Category"
	KindTag      Kind = "Tag"
	KindWebhook  Kind = "Webhook"
)

// NodeID returns the opaque global id of the node of kind k with id id.
func NodeID(k Kind, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(string(k) + ":" + strconv.FormatInt(id, 10)))
}

// ParseNodeID reads a global id made by NodeID. Anything else is a
// BAD_USER_INPUT error.
func ParseNodeID(s string) (Kind, int64, error) {
	bad := Invalid("id", "invalid id")
	if len(s) > 100 {
		return "", 0, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return "", 0, bad
	}
	kind, num, ok := strings.Cut(string(raw), ":")
	if !ok {
		return "", 0, bad
	}
	id, err := strconv.ParseInt(num, 10, 64)
	if err != nil || id <= 0 {
		return "", 0, bad
	}
	switch k := Kind(kind); k {
	case KindArticle, KindAuthor, KindCategory, KindTag, KindWebhook:
		return k, id, nil
	}
	return "", 0, bad
}

// NodeID is the article's global id. The GraphQL id fields are these
// methods rather than resolvers: a resolver is run concurrently, and a
// list page paid a goroutine per item for an id.
func (a *Article) NodeID() string { return NodeID(KindArticle, a.ID) }

// NodeID is the author's global id.
func (a *Author) NodeID() string { return NodeID(KindAuthor, a.ID) }

// NodeID is the category's global id.
func (c *Category) NodeID() string { return NodeID(KindCategory, c.ID) }

// NodeID is the tag's global id.
func (t *Tag) NodeID() string { return NodeID(KindTag, t.ID) }
