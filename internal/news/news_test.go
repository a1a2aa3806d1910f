package news_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
)

func TestCursorRoundTrip(t *testing.T) {
	for _, c := range []news.Cursor{{Time: 1760063400000, ID: 42}, {Time: -5, ID: 1}, {Slug: "hai-phong"}} {
		got, err := news.ParseCursor("after", c.String())
		if err != nil || got != c {
			t.Errorf("ParseCursor(%v.String()) = %v, %v", c, got, err)
		}
	}
	for _, bad := range []string{"", "!!", "dDox", "eDox", "dDoxOjA", "dDphOmI", "cw"} {
		if _, err := news.ParseCursor("after", bad); news.ErrorCode(err) != news.EINVALID {
			t.Errorf("ParseCursor(%q) err = %v, want BAD_USER_INPUT", bad, err)
		}
	}
}

func TestPageArgs(t *testing.T) {
	n := func(i int) *int { return &i }
	s := func(v string) *string { return &v }
	tests := []struct {
		args     news.PageArgs
		limit    int
		backward bool
		field    string
	}{
		{news.PageArgs{}, 20, false, ""},
		{news.PageArgs{First: n(100)}, 100, false, ""},
		{news.PageArgs{Last: n(1)}, 1, true, ""},
		{news.PageArgs{First: n(0)}, 0, false, "first"},
		{news.PageArgs{First: n(101)}, 0, false, "first"},
		{news.PageArgs{Last: n(-1)}, 0, false, "last"},
		{news.PageArgs{First: n(1), Last: n(1)}, 0, false, "first"},
		{news.PageArgs{After: s("x")}, 0, false, "after"},
		{news.PageArgs{Before: s("x")}, 0, false, "before"},
	}
	for _, tt := range tests {
		p, err := tt.args.Page()
		if tt.field != "" {
			var e *news.Error
			if !errors.As(err, &e) || e.Code != news.EINVALID || e.Field != tt.field {
				t.Errorf("%+v: err = %v, want BAD_USER_INPUT on %s", tt.args, err, tt.field)
			}
			continue
		}
		if err != nil || p.Limit != tt.limit || p.Backward != tt.backward {
			t.Errorf("%+v: got %+v, %v; want limit %d backward %v", tt.args, p, err, tt.limit, tt.backward)
		}
	}
}

func TestNodeID(t *testing.T) {
	for _, k := range []news.Kind{news.KindArticle, news.KindAuthor, news.KindCategory, news.KindTag} {
		kind, id, err := news.ParseNodeID(news.NodeID(k, 77))
		if err != nil || kind != k || id != 77 {
			t.Errorf("round trip %s: %s %d %v", k, kind, id, err)
		}
	}
	for _, bad := range []string{"", "Article:1", "QXJ0aWNsZTow", "VXNlcjox", "QXJ0aWNsZTphYmM"} {
		if _, _, err := news.ParseNodeID(bad); news.ErrorCode(err) != news.EINVALID {
			t.Errorf("ParseNodeID(%q) err = %v, want BAD_USER_INPUT", bad, err)
		}
	}
}

func TestErrorCode(t *testing.T) {
	wrapped := fmt.Errorf("outer: %w", news.Errorf(news.ENOTFOUND, "no article"))
	if news.ErrorCode(wrapped) != news.ENOTFOUND || news.ErrorMessage(wrapped) != "no article" {
		t.Errorf("wrapped: %s %q", news.ErrorCode(wrapped), news.ErrorMessage(wrapped))
	}
	plain := errors.New("SQL logic error near DROP")
	if news.ErrorCode(plain) != news.EINTERNAL || news.ErrorMessage(plain) != "internal error" {
		t.Errorf("plain: %s %q", news.ErrorCode(plain), news.ErrorMessage(plain))
	}
	if news.ErrorCode(nil) != "" {
		t.Error("ErrorCode(nil) is not empty")
	}
}
