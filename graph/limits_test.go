package graph

import (
	"context"
	"testing"

	"github.com/99designs/gqlgen/complexity"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

const pageQuery = `{ category(slug: "thoi-su") { name articles(first: 20) { edges { node { slug title excerpt
	coverImage { url } authors { name } tags { name } related(first: 5) { slug title } } } } } }`

func parse(tb testing.TB, q string) *ast.OperationDefinition {
	tb.Helper()
	es := NewExecutableSchema(Config{Resolvers: &Resolver{}, Complexity: costModel()})
	doc, errs := gqlparser.LoadQueryWithRules(es.Schema(), q, nil)
	if errs != nil {
		tb.Fatal(errs)
	}
	return doc.Operations[0]
}

// TestComplexityPricesPages pins the cost model: list fields pay their page
// size times their children.
func TestComplexityPricesPages(t *testing.T) {
	es := NewExecutableSchema(Config{Resolvers: &Resolver{}, Complexity: costModel()})
	for _, tc := range []struct {
		query    string
		min, max int
	}{
		{`{ articles(first: 10) { nodes { slug } } }`, 20, 30},
		{`{ articles(first: 100) { nodes { slug } } }`, 200, 210},
		{`{ articles(last: 50) { nodes { slug title } } }`, 150, 160},
		{pageQuery, 500, 700},
		{`{ articles(first: 100) { nodes { related(first: 100) { related(first: 100) { title } } } } }`, 1_000_000, 1 << 41},
	} {
		doc, errs := gqlparser.LoadQueryWithRules(es.Schema(), tc.query, nil)
		if errs != nil {
			t.Fatal(errs)
		}
		got := complexity.Calculate(context.Background(), es, doc.Operations[0], nil)
		if got < tc.min || got > tc.max {
			t.Errorf("%s: cost %d, want %d..%d", tc.query, got, tc.min, tc.max)
		}
	}
}

// BenchmarkLimitChecks is what the limits add to every operation: pricing
// it and measuring its depth and aliases.
func BenchmarkLimitChecks(b *testing.B) {
	es := NewExecutableSchema(Config{Resolvers: &Resolver{}, Complexity: costModel()})
	op := parse(b, pageQuery)
	b.ReportAllocs()
	for b.Loop() {
		complexity.Calculate(context.Background(), es, op, nil)
		aliases := 0
		measure(op.SelectionSet, &aliases)
	}
}
