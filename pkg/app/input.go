package app

import (
	"context"
	"errors"
	"net/url"
	"unicode"
	"unicode/utf8"

	"fanout/pkg/job"
	"fanout/pkg/netguard"
)

// checkText refuses text no surface should pass on: invalid UTF-8, NUL and
// other control characters (line breaks and tabs are allowed in multiline
// text). Postgres cannot store a NUL, and a page would not show the rest.
// It reports whether s is clean.
func checkText(fe *job.FieldErrors, field, s string, multiline bool) bool {
	if !utf8.ValidString(s) {
		fe.Add(field, "not valid UTF-8")
		return false
	}
	for _, r := range s {
		if multiline && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) {
			fe.Add(field, "contains a control character (U+%04X)", r)
			return false
		}
	}
	return true
}

// CleanText reports whether s passes checkText; surfaces whose fields do
// not go through the core (a legacy lookup by name) use it.
func CleanText(s string, multiline bool) bool {
	var fe job.FieldErrors
	return checkText(&fe, "", s, multiline)
}

const proxyHint = "must be a URL like http://host:port or socks5://host:port"

// checkProxy validates an account's proxy: http, https or socks5 with a
// host, and — unless the operator allows it — not an address on the
// server's own network (the worker's browser would connect there).
func (a *App) checkProxy(ctx context.Context, fe *job.FieldErrors, p string) {
	if len(p) > 2048 || !checkText(fe, "proxy", p, false) {
		if len(p) > 2048 {
			fe.Add("proxy", "at most 2048 characters")
		}
		return
	}
	u, err := url.Parse(p)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "socks5") || u.Hostname() == "" {
		fe.Add("proxy", proxyHint)
		return
	}
	if a.cfg.AllowPrivateProxy {
		return
	}
	if err := netguard.CheckHost(ctx, u.Hostname()); errors.Is(err, netguard.ErrPrivate) {
		fe.Add("proxy", "points at a loopback, link-local or private address (set FANOUT_ALLOW_PRIVATE_PROXY=true to allow)")
	}
}
