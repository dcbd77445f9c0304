package fakesite

import (
	"bytes"
	"crypto/rand"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"
)

// Beijing is the wall clock of the Chinese platforms' schedule inputs and
// lists (China has no DST).
var Beijing = time.FixedZone("CST", 8*3600)

// redesign is the page every fake serves under BreakLayout.
const redesign = "redesign.html"

// frameHTML defines the templates head and foot, which every page starts
// and ends with (see the file).
//
//go:embed frame.html
var frameHTML string

// parsePages parses each HTML file of web as a template in the frame, by
// its file name, with the functions when (a time as the posts page shows
// it), lang (the pages' language), page (the file's name without
// .html) and knobs (the page knobs kit.js reads, as JSON). A page that does not parse panics, as a package-level
// template.Must would.
func parsePages(web fs.FS, when func(time.Time) string, lang string, knobs func() string) map[string]*template.Template {
	funcs := template.FuncMap{"when": when, "lang": func() string { return lang }, "page": func() string { return "" }, "knobs": knobs}
	frame := template.Must(template.New("frame.html").Funcs(funcs).Parse(frameHTML))
	pages := map[string]*template.Template{}
	if web == nil {
		return pages
	}
	names, _ := fs.Glob(web, "*.html")
	for _, name := range names {
		page := strings.TrimSuffix(name, ".html")
		t := template.Must(frame.Clone()).Funcs(template.FuncMap{"page": func() string { return page }})
		pages[name] = template.Must(t.ParseFS(web, name))
	}
	return pages
}

// render answers the page name executed with data; nothing is written
// when it fails, so the browser gets a plain 500.
func (k *Kernel[P]) render(w http.ResponseWriter, name string, data any) {
	t := k.pages[name]
	if t == nil {
		http.Error(w, "fakesite: no page "+name, http.StatusInternalServerError)
		return
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, name, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(b.Bytes())
}

// Page serves the HTML page name of the platform's Web folder.
func (k *Kernel[P]) Page(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { k.render(w, name, nil) }
}

// Layout serves the page name, or redesign.html (a page without the
// controls the driver looks for) while BreakLayout is on.
func (k *Kernel[P]) Layout(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		k.mu.Lock()
		broken := k.brokenLayout
		k.mu.Unlock()
		page := name
		if broken {
			page = redesign
		}
		k.Page(page)(w, r)
	}
}

// WriteJSON answers v as JSON with the HTTP status code.
func WriteJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// RandomID returns n random bytes in hex, for tokens, sessions and ids.
func RandomID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
