package fakesite

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"time"
)

// kitJS is the script the sites' pages share (see the package comment).
//
//go:embed kit.js
var kitJS []byte

// fakeRoutes serves the simulated phone and the knobs over HTTP (see the
// package comment).
func (k *Kernel[P]) fakeRoutes() {
	scan := func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if err := k.scan(q.Get("token"), q.Get("confirm") != "0"); err != nil {
			WriteJSON(w, http.StatusConflict, map[string]string{"error": err.Error()})
			return
		}
		WriteJSON(w, http.StatusOK, map[string]bool{"ok": true})
	}
	k.mux.HandleFunc("POST /__fake__/scan", scan)
	// A phone camera opens the QR code's URL with GET.
	k.mux.HandleFunc("GET /__fake__/scan", scan)
	k.mux.HandleFunc("GET /__fake__/published", func(w http.ResponseWriter, r *http.Request) {
		WriteJSON(w, http.StatusOK, k.Published())
	})
	k.mux.HandleFunc("GET /__fake__/state", func(w http.ResponseWriter, r *http.Request) {
		k.mu.Lock()
		token := k.newestQR
		state := ""
		if q := k.qrs[token]; q != nil {
			state = q.stateLocked(time.Now())
		}
		out := map[string]any{
			"qr_token": token, "qr_state": state, "posts": len(k.posts),
			"sessions": len(k.sessions), "require_login": k.requireLogin,
			// The simulated phone's SMS: the code a pending verification sent.
			"verification_code": k.verifyCode,
		}
		k.mu.Unlock()
		WriteJSON(w, http.StatusOK, out)
	})
	k.mux.HandleFunc("POST /__fake__/session", func(w http.ResponseWriter, r *http.Request) {
		WriteJSON(w, http.StatusOK, k.SessionCookies())
	})
	k.mux.HandleFunc("POST /__fake__/knobs", func(w http.ResponseWriter, r *http.Request) {
		var kn Knobs
		if err := json.NewDecoder(r.Body).Decode(&kn); err != nil {
			WriteJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		if err := k.Apply(kn); err != nil {
			WriteJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		WriteJSON(w, http.StatusOK, map[string]bool{"ok": true})
	})
	k.mux.HandleFunc("GET /__fake__/kit.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		_, _ = w.Write(kitJS)
	})
	k.mux.HandleFunc("POST /__fake__/reset", func(w http.ResponseWriter, r *http.Request) {
		k.Reset()
		WriteJSON(w, http.StatusOK, map[string]bool{"ok": true})
	})
}
