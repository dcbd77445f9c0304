package xiaohongshutest

import (
	"encoding/json"
	"net/http"
	"time"
)

// Knobs is the body of POST /__fake__/knobs. Every field is optional; a
// missing field leaves that knob as it is.
type Knobs struct {
	RequireLogin   *bool             `json:"require_login,omitempty"`
	ExpireQR       bool              `json:"expire_qr,omitempty"`
	ExpireSessions bool              `json:"expire_sessions,omitempty"`
	FailNextUpload bool              `json:"fail_next_upload,omitempty"`
	RejectNext     *string           `json:"reject_next,omitempty"`
	BreakLayout    *bool             `json:"break_layout,omitempty"`
	Delays         map[string]string `json:"delays,omitempty"` // step → Go duration ("2s"); "0" removes
}

// Apply turns the knobs that k sets.
func (s *Site) Apply(k Knobs) error {
	delays := map[string]time.Duration{}
	for step, v := range k.Delays {
		d, err := time.ParseDuration(v)
		if err != nil {
			return err
		}
		delays[step] = d
	}
	if k.RequireLogin != nil {
		s.RequireLogin(*k.RequireLogin)
	}
	if k.ExpireQR {
		s.ExpireQR()
	}
	if k.ExpireSessions {
		s.ExpireSessions()
	}
	if k.FailNextUpload {
		s.FailNextUpload()
	}
	if k.RejectNext != nil {
		s.RejectNext(*k.RejectNext)
	}
	if k.BreakLayout != nil {
		s.BreakLayout(*k.BreakLayout)
	}
	for step, d := range delays {
		s.SetDelay(step, d)
	}
	return nil
}

// fakeRoutes serves the simulated phone and the knobs over HTTP (see the
// package comment).
func (s *Site) fakeRoutes(mux *http.ServeMux) {
	scan := func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if err := s.scan(q.Get("token"), q.Get("confirm") != "0"); err != nil {
			writeJSON(w, http.StatusConflict, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	}
	mux.HandleFunc("POST /__fake__/scan", scan)
	// A phone camera opens the QR code's URL with GET.
	mux.HandleFunc("GET /__fake__/scan", scan)
	mux.HandleFunc("GET /__fake__/published", func(w http.ResponseWriter, r *http.Request) {
		posts := s.Published()
		if posts == nil {
			posts = []Post{}
		}
		writeJSON(w, http.StatusOK, posts)
	})
	mux.HandleFunc("GET /__fake__/state", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		token := s.newestQR
		state := ""
		if q := s.qrs[token]; q != nil {
			state = q.stateLocked(time.Now())
		}
		out := map[string]any{
			"qr_token": token, "qr_state": state, "posts": len(s.posts),
			"sessions": len(s.sessions), "require_login": s.requireLogin,
		}
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, out)
	})
	mux.HandleFunc("POST /__fake__/session", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.SessionCookies())
	})
	mux.HandleFunc("POST /__fake__/knobs", func(w http.ResponseWriter, r *http.Request) {
		var k Knobs
		if err := json.NewDecoder(r.Body).Decode(&k); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		if err := s.Apply(k); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	})
	mux.HandleFunc("POST /__fake__/reset", func(w http.ResponseWriter, r *http.Request) {
		s.Reset()
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	})
}
