// Package reader is the reference reader frontend: a static site (HTML,
// CSS, ES modules; no build step, no framework) that renders a news portal
// from the newsdesk GraphQL API on another origin. newsdesk serve
// --reader-addr serves it on a second port.
package reader

import (
	"embed"
	"encoding/json"
	"net/http"
)

//go:embed index.html app.js style.css
var files embed.FS

// Handler serves the reader, configured to read from the API at api (an
// absolute URL, another origin).
func Handler(api string) http.Handler {
	mux := http.NewServeMux()
	static := http.FileServerFS(files)
	mux.Handle("GET /", static)
	config, _ := json.Marshal(api) // a string always marshals
	mux.HandleFunc("GET /config.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write([]byte("export const API = " + string(config) + ";\n"))
	})
	return mux
}
