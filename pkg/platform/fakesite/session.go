package fakesite

import (
	"net/http"
	"net/url"
	"time"

	"fanout/pkg/web"
)

// NewSession issues a valid session and returns its id, the value of the
// session cookie.
func (k *Kernel[P]) NewSession() string {
	id := RandomID(16)
	k.mu.Lock()
	defer k.mu.Unlock()
	k.sessions[id] = true
	return id
}

// LoggedIn reports whether r carries a valid session (or login is off).
func (k *Kernel[P]) LoggedIn(r *http.Request) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	if !k.requireLogin {
		return true
	}
	c, err := r.Cookie(k.cfg.SessionCookie)
	return err == nil && k.sessions[c.Value]
}

// cookies are the platform's cookies of a browser logged in with session.
func (k *Kernel[P]) cookies(session string) []web.Cookie {
	cs := []web.Cookie{{Name: k.cfg.SessionCookie, Value: session, HTTPOnly: true}}
	if k.cfg.Cookies != nil {
		cs = append(cs, k.cfg.Cookies(session)...)
	}
	return cs
}

// SessionCookies issues a fresh valid session and returns its cookies, for
// a test that starts logged in without a QR login.
func (k *Kernel[P]) SessionCookies() []web.Cookie {
	cs := k.cookies(k.NewSession())
	host := "127.0.0.1"
	if u, err := url.Parse(k.URL()); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	exp := float64(time.Now().Add(k.cfg.CookieLifetime).Unix())
	for i := range cs {
		cs[i].Domain, cs[i].Path, cs[i].Expires = host, "/", exp
	}
	return cs
}

// SetSessionCookies logs the browser of w in with session.
func (k *Kernel[P]) SetSessionCookies(w http.ResponseWriter, session string) {
	for _, c := range k.cookies(session) {
		http.SetCookie(w, &http.Cookie{
			Name: c.Name, Value: c.Value, Path: "/", HttpOnly: c.HTTPOnly,
			MaxAge: int(k.cfg.CookieLifetime.Seconds()), SameSite: http.SameSiteLaxMode,
		})
	}
}

// LogIn finishes a confirmed QR login: it waits DelayLogin and sets the
// session cookies.
func (k *Kernel[P]) LogIn(w http.ResponseWriter, r *http.Request, session string) {
	k.Sleep(r, DelayLogin)
	k.SetSessionCookies(w, session)
}

// Authed sends a browser without a valid session to the platform's login
// URL, clearing its stale session cookie, as the real creator pages do.
func (k *Kernel[P]) Authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !k.LoggedIn(r) {
			http.SetCookie(w, &http.Cookie{Name: k.cfg.SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true})
			http.Redirect(w, r, k.cfg.LoginURL(r), http.StatusFound)
			return
		}
		h(w, r)
	}
}

// LoggedOut serves h, a login page, to a browser without a valid session
// and sends a logged-in one to home, as the real login pages do.
func (k *Kernel[P]) LoggedOut(home string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if k.LoggedIn(r) {
			http.Redirect(w, r, home, http.StatusFound)
			return
		}
		h(w, r)
	}
}

// API answers 401 with the platform's Unauthorized body to an API call
// without a valid session; the page's script then goes to the login page.
func (k *Kernel[P]) API(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !k.LoggedIn(r) {
			WriteJSON(w, http.StatusUnauthorized, k.cfg.Unauthorized(r))
			return
		}
		h(w, r)
	}
}
