package graph

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/graph/model"
	"github.com/newsdesk/newsdesk/internal/contenthash"
	"github.com/newsdesk/newsdesk/internal/news"
)

// testEdge is an edge of a category page with every part of its view set.
func testEdge() *model.ArticleEdge {
	at := time.Date(2026, 11, 20, 15, 30, 0, 0, time.FixedZone("ICT", 7*3600))
	return &model.ArticleEdge{Cursor: "dDoxNzk1MTYzNDAwMDAwOjQ0", Node: &news.ArticleView{
		Article: &news.Article{ID: 44, Slug: "quang-ba-am-thuc-hai-phong-tai-hoi-cho-du-lich-quoc-te",
			Title: "Quảng bá ẩm thực Hải Phòng tại hội chợ du lịch quốc tế", Excerpt: strings.Repeat("Gian hàng của thành phố ", 12),
			Cover:  &news.Image{URL: "https://static.newsdesk.example/2026/11/am-thuc.jpg", Caption: "Du khách quốc tế thưởng thức bánh đa cua"},
			Status: news.StatusPublished, PublishedAt: at, CreatedAt: at, UpdatedAt: at, CategoryID: 3, WordCount: 512, ReadingMinutes: 3},
		Authors:  []*news.Author{{ID: 1, Slug: "lan-anh", Name: "Lan Anh", CreatedAt: at}, {ID: 2, Slug: "thu-ha", Name: "Thu Hà", CreatedAt: at}},
		Tags:     []*news.Tag{{ID: 1, Slug: "du-lich", Name: "Du lịch", CreatedAt: at}, {ID: 2, Slug: "hai-phong", Name: "Hải Phòng", CreatedAt: at}},
		Category: &news.Category{ID: 3, Slug: "du-lich", Name: "Du lịch", CreatedAt: at},
	}}
}

// edgeHashes hash an edge as a plain Hasher does, and as a cache's with a
// memo of the shared types does (a new memo each time: the test changes
// values in place, which a store never does to what it shares).
var edgeHashes = map[string]func(e *model.ArticleEdge) (uint64, bool){
	"plain": func(e *model.ArticleEdge) (uint64, bool) {
		h := contenthash.New()
		ok := h.Value(reflect.ValueOf(e).Elem())
		return h.Sum(), ok
	},
	"memo": func(e *model.ArticleEdge) (uint64, bool) {
		h := contenthash.NewMemo(16, news.SharedTypes()...).NewHasher()
		ok := h.Value(reflect.ValueOf(e).Elem())
		return h.Sum(), ok
	},
}

// TestHashSeesEveryField: changing any one value an edge holds, however
// deep (a tag's name, the cover's caption, a time's zone), changes its
// hash, so a fragment kept under the old one is never shown for it.
func TestHashSeesEveryField(t *testing.T) {
	for name, edgeHash := range edgeHashes {
		t.Run(name, func(t *testing.T) { testHashSeesEveryField(t, edgeHash) })
	}
}

func testHashSeesEveryField(t *testing.T, edgeHash func(*model.ArticleEdge) (uint64, bool)) {
	e := testEdge()
	base, ok := edgeHash(e)
	if !ok {
		t.Fatal("an edge cannot be hashed")
	}
	seen := 0
	var visit func(path string, v reflect.Value)
	visit = func(path string, v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				visit(path, v.Elem())
			}
			return
		case reflect.Slice:
			for i := range v.Len() {
				visit(fmt.Sprintf("%s[%d]", path, i), v.Index(i))
			}
			return
		case reflect.Struct:
			if v.Type() != reflect.TypeFor[time.Time]() {
				for i := range v.NumField() {
					visit(path+"."+v.Type().Field(i).Name, v.Field(i))
				}
				return
			}
		}
		old := reflect.New(v.Type()).Elem()
		old.Set(v)
		switch v.Kind() {
		case reflect.String:
			v.SetString(v.String() + "x")
		case reflect.Int, reflect.Int64:
			v.SetInt(v.Int() + 1)
		case reflect.Struct: // a time: the same instant in another zone
			v.Set(reflect.ValueOf(v.Interface().(time.Time).UTC()))
		default:
			t.Fatalf("%s: a %s the test cannot change", path, v.Kind())
		}
		if h, _ := edgeHash(e); h == base {
			t.Errorf("changing %s leaves the hash as it was", path)
		}
		v.Set(old)
		seen++
	}
	visit("edge", reflect.ValueOf(e))
	if h, _ := edgeHash(e); h != base || seen < 40 {
		t.Errorf("%d values changed and put back, hash %x, want %x", seen, h, base)
	}
}

// TestKeptTypesHaveNoContextMethods: pureSelection takes a field without a
// resolver for a function of its object, which a method that takes the
// request's context need not be (gqlgen calls such a method with it and
// does not mark it a resolver). None of the kept types, or the types they
// hold, may have one.
func TestKeptTypesHaveNoContextMethods(t *testing.T) {
	ctxType := reflect.TypeFor[context.Context]()
	for _, typ := range []reflect.Type{
		reflect.TypeFor[*news.ArticleView](), reflect.TypeFor[*news.Article](), reflect.TypeFor[*news.Author](),
		reflect.TypeFor[*news.Category](), reflect.TypeFor[*news.Tag](), reflect.TypeFor[*news.Image](),
		reflect.TypeFor[*model.ArticleEdge](),
	} {
		for i := range typ.NumMethod() {
			m := typ.Method(i)
			for j := 1; j < m.Type.NumIn(); j++ {
				if m.Type.In(j).Implements(ctxType) {
					t.Errorf("%s.%s takes a context: the fragment cache would keep what it answers as if it read the object alone", typ, m.Name)
				}
			}
		}
	}
}

// BenchmarkHashEdge hashes an edge of a category page as the fragment
// cache does on every request: its cursor and its article's view.
func BenchmarkHashEdge(b *testing.B) {
	v := reflect.ValueOf(testEdge()).Elem()
	b.ReportAllocs()
	for b.Loop() {
		h := contenthash.New()
		h.Value(v)
		h.Sum()
	}
}
