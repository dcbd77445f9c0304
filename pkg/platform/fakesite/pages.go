package fakesite

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"net/http"
	"time"
)

// Beijing is the wall clock of the Chinese platforms' schedule inputs and
// lists (China has no DST).
var Beijing = time.FixedZone("CST", 8*3600)

// redesign is the page every fake serves under BreakLayout.
const redesign = "redesign.html"

// Page serves the HTML file name of the platform's Web folder.
func (k *Kernel[P]) Page(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, err := fs.ReadFile(k.web, name)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(b)
	}
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
