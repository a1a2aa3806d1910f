package graph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/newsdesk/newsdesk/internal/httpcache"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// httpTransport serves GraphQL over HTTP as gqlgen's transport.GET and
// transport.POST do (queries over GET, any operation as a JSON POST, the
// same status codes and content types: github.com/99designs/gqlgen
// v0.17.98, MIT licence), with one difference: it writes the executor's
// data as it comes. gqlgen's writer runs the whole response through
// json.Marshal, which parses and re-validates the data it has just
// produced; that was a sixth of the time GraphQL spent on an article.
type httpTransport struct{}

var _ graphql.Transport = httpTransport{}

const (
	contentJSON        = "application/json"
	contentGraphQLJSON = "application/graphql-response+json"
)

func (httpTransport) Supports(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" {
		return false
	}
	switch r.Method {
	case http.MethodGet:
		return true
	case http.MethodPost:
		mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		return err == nil && mediaType == contentJSON
	}
	return false
}

func (httpTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	contentType := responseContentType(r.Header.Get("Accept"))
	w.Header().Set("Content-Type", contentType)
	// The data goes out unescaped (a body's "<p>" stays "<p>"): no browser
	// may sniff it into HTML.
	w.Header().Set("X-Content-Type-Options", "nosniff")
	start := graphql.Now()
	params := &graphql.RawParams{Headers: r.Header}
	if r.Method == http.MethodGet {
		query, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			writeResponse(w, errorResponse(err.Error()))
			return
		}
		params.Query, params.OperationName = query.Get("query"), query.Get("operationName")
		if v := query.Get("variables"); v != "" {
			if err := decodeJSON(strings.NewReader(v), &params.Variables); err != nil {
				w.WriteHeader(http.StatusBadRequest)
				writeResponse(w, errorResponse("variables could not be decoded"))
				return
			}
		}
		if v := query.Get("extensions"); v != "" {
			if err := decodeJSON(strings.NewReader(v), &params.Extensions); err != nil {
				w.WriteHeader(http.StatusBadRequest)
				writeResponse(w, errorResponse("extensions could not be decoded"))
				return
			}
		}
	} else {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			writeResponse(w, exec.DispatchError(ctx, gqlerror.List{gqlerror.Errorf("could not read request body: %+v", err)}))
			return
		}
		if err := decodeJSON(bytes.NewReader(body), params); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			gqlErr := gqlerror.Errorf("json request body could not be decoded: %+v body:%s", err, body)
			writeResponse(w, exec.DispatchError(ctx, gqlerror.List{gqlErr}))
			return
		}
	}
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}

	opCtx, gqlErr := exec.CreateOperationContext(ctx, params)
	if gqlErr != nil {
		status := http.StatusOK
		if errcode.GetErrorKind(gqlErr) == errcode.KindProtocol {
			status = http.StatusUnprocessableEntity
			if contentType == contentGraphQLJSON {
				status = http.StatusBadRequest
			}
		}
		w.WriteHeader(status)
		writeResponse(w, exec.DispatchError(graphql.WithOperationContext(ctx, opCtx), gqlErr))
		return
	}
	if r.Method == http.MethodGet {
		if op := opCtx.Doc.Operations.ForName(opCtx.OperationName); op.Operation != ast.Query {
			w.WriteHeader(http.StatusNotAcceptable)
			writeResponse(w, errorResponse("GET requests only allow query operations"))
			return
		}
	}
	responses, ctx := exec.DispatchOperation(ctx, opCtx)
	writeResponse(w, responses(ctx))
}

// responseContentType picks the answer's media type from Accept, as
// gqlgen does: application/json unless the client names only the GraphQL
// response type (or nothing it knows).
func responseContentType(accept string) string {
	if accept == "" {
		return contentJSON
	}
	for part := range strings.SplitSeq(accept, ",") {
		mediaType, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mediaType {
		case "*/*", "application/*", contentJSON:
			return contentJSON
		case contentGraphQLJSON:
			return contentGraphQLJSON
		}
	}
	return contentGraphQLJSON
}

func errorResponse(msg string) *graphql.Response {
	return &graphql.Response{Errors: gqlerror.List{{Message: msg}}}
}

func decodeJSON(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	return dec.Decode(v)
}

// writeResponse writes resp as json.Marshal would, with its data copied
// as the executor wrote it.
func writeResponse(w io.Writer, resp *graphql.Response) {
	b := httpcache.GetBuffer()
	defer httpcache.PutBuffer(b)
	enc := json.NewEncoder(b)
	b.WriteByte('{')
	if len(resp.Errors) > 0 {
		b.WriteString(`"errors":`)
		mustEncode(enc, resp.Errors)
		b.Truncate(b.Len() - 1) // the encoder's newline
		b.WriteByte(',')
	}
	b.WriteString(`"data":`)
	if len(resp.Data) == 0 {
		b.WriteString("null")
	} else {
		b.Write(resp.Data)
	}
	// Whatever else the response carries (extensions; the incremental
	// delivery fields, which these transports never send).
	if resp.Label != "" || len(resp.Path) > 0 || resp.HasNext != nil || len(resp.Extensions) > 0 {
		tail, err := json.Marshal(struct {
			Label      string         `json:"label,omitempty"`
			Path       ast.Path       `json:"path,omitempty"`
			HasNext    *bool          `json:"hasNext,omitempty"`
			Extensions map[string]any `json:"extensions,omitempty"`
		}{resp.Label, resp.Path, resp.HasNext, resp.Extensions})
		if err != nil {
			panic(fmt.Errorf("unable to marshal the response's extensions: %w", err))
		}
		b.WriteByte(',')
		b.Write(tail[1 : len(tail)-1])
	}
	b.WriteByte('}')
	w.Write(b.Bytes())
}

func mustEncode(enc *json.Encoder, v any) {
	if err := enc.Encode(v); err != nil {
		panic(fmt.Errorf("unable to marshal the response's errors: %w", err))
	}
}
