package rest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// FuzzQueryParams sends arbitrary query strings to the list, search,
// related and most-read endpoints: every answer is 200 or 400 (or 404),
// always JSON, never a 500.
func FuzzQueryParams(f *testing.F) {
	h := demoHandler(f, nil)
	for _, q := range []string{
		"limit=5&cursor=abc", "category=thoi-su&limit=100", "fields=title,slug", "q=duong+kinh&order=newest",
		"limit=-1", "limit=99999999999999999999", "cursor=dDoxOjE", "fields=,,,", "status=draft", "period=week&limit=3",
		"q=%00%ff", "tag=%E0%A4&author=x",
	} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if _, err := url.ParseQuery(raw); err != nil {
			return // not a query string a client could send
		}
		for _, path := range []string{"/v1/articles", "/v1/search", "/v1/most-read", "/v1/articles/" + "so-thong-tin-va-truyen-thong-tap-huan-cong-tac-thong-tin-doi-ngoai" + "/related"} {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.URL.RawQuery = raw
			h.ServeHTTP(rec, req)
			switch rec.Code {
			case 200, 400, 401, 404:
			default:
				t.Fatalf("%s?%s: %d %s", path, raw, rec.Code, rec.Body)
			}
			if !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("%s?%s: not JSON: %s", path, raw, rec.Body)
			}
		}
	})
}
