package bilibilitest

import (
	"fmt"
	"net/http"
	"time"

	"fanout/pkg/platform/fakesite"
)

// tokenLifetime is expires_in of a TV login: 180 days (§2.1 step 4).
const tokenLifetime = 15552000

// authCode issues a TV QR code (§2.1 step 1, §10 QR login): a signed form
// gets {url, auth_code}. The code is the kernel's QR token, and url the
// phone's scan URL for it, so /__fake__/scan (or a phone camera) scans it.
func (s *Site) authCode(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || !signed(r.PostForm) {
		fail(w, http.StatusOK, -3, "API校验密匙错误")
		return
	}
	code, _, err := s.NewQR(r)
	if err != nil {
		fail(w, http.StatusInternalServerError, -500, err.Error())
		return
	}
	ok(w, map[string]string{"url": fmt.Sprintf("http://%s/__fake__/scan?token=%s", r.Host, code), "auth_code": code})
}

// poll answers the TV poll (§2.1 step 3): 86039 until the phone scans,
// 86090 once scanned (API-collect), 86038 expired, and on confirmation
// code 0 with the login object (§2.1 step 4), after DelayLogin.
func (s *Site) poll(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || !signed(r.PostForm) {
		fail(w, http.StatusOK, -3, "API校验密匙错误")
		return
	}
	state, session := s.QRStatus(r.PostForm.Get("auth_code"))
	switch state {
	case fakesite.QRNew:
		fail(w, http.StatusOK, 86039, "二维码尚未确认")
	case fakesite.QRScanned:
		fail(w, http.StatusOK, 86090, "二维码已扫码未确认")
	case fakesite.QRExpired:
		fail(w, http.StatusOK, 86038, "二维码已失效")
	case fakesite.QRConfirmed:
		s.Sleep(r, fakesite.DelayLogin)
		ok(w, s.loginObject(session))
	}
}

// loginObject issues a token pair for session and returns the login
// object: token_info, cookie_info and sso (§2.1 step 4).
func (s *Site) loginObject(session string) map[string]any {
	access, refresh := fakesite.RandomID(16), fakesite.RandomID(16)
	s.mu.Lock()
	s.tokens[access] = &token{session: session, refresh: refresh, mid: 10086}
	s.mu.Unlock()
	exp := time.Now().Add(tokenLifetime * time.Second).Unix()
	cookie := func(name, value string, httpOnly int) map[string]any {
		return map[string]any{"name": name, "value": value, "http_only": httpOnly, "expires": exp, "secure": 0}
	}
	return map[string]any{
		"token_info": map[string]any{"mid": 10086, "access_token": access, "refresh_token": refresh, "expires_in": tokenLifetime},
		"cookie_info": map[string]any{
			"cookies": []any{cookie("SESSDATA", session, 1), cookie("bili_jct", csrfOf(session), 0),
				cookie("DedeUserID", "10086", 0), cookie("DedeUserID__ckMd5", "c1a2b3", 0), cookie("sid", fakesite.RandomID(8), 0)},
			"domains": []string{".bilibili.com", ".biligame.com", ".bigfun.cn", ".bigfunapp.cn", ".dreamcast.hk"},
		},
		"sso": []string{"https://passport.bilibili.com/api/v2/sso"},
	}
}

// tokenOf returns the live token for access_key, nil when it is unknown
// or its session was logged out.
func (s *Site) tokenOf(access string) *token {
	s.mu.Lock()
	t := s.tokens[access]
	s.mu.Unlock()
	if t == nil || !s.validSession(t.session) {
		return nil
	}
	return t
}

// tokenInfo is oauth2/info (§2.2, §10 Tokens): refresh is the knob. An
// unknown or logged-out token answers -101 (assumed: the reference names
// no code for it).
func (s *Site) tokenInfo(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !signed(q) {
		fail(w, http.StatusOK, -3, "API校验密匙错误")
		return
	}
	t := s.tokenOf(q.Get("access_key"))
	if t == nil {
		fail(w, http.StatusOK, CodeNotLoggedIn, "账号未登录")
		return
	}
	s.mu.Lock()
	refresh := s.wantRefresh
	s.mu.Unlock()
	ok(w, map[string]any{"mid": t.mid, "access_token": q.Get("access_key"), "expires_in": tokenLifetime, "refresh": refresh})
}

// refreshToken is oauth2/refresh_token (§2.2 Refresh, §10 Tokens): a
// complete new login object on a fresh session; the old token pair stops
// working (assumed) and the refresh flag is served once.
func (s *Site) refreshToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || !signed(r.PostForm) {
		fail(w, http.StatusOK, -3, "API校验密匙错误")
		return
	}
	old := r.PostForm.Get("access_key")
	t := s.tokenOf(old)
	if t == nil || t.refresh != r.PostForm.Get("refresh_token") {
		fail(w, http.StatusOK, CodeNotLoggedIn, "账号未登录")
		return
	}
	s.mu.Lock()
	delete(s.tokens, old)
	s.refreshes++
	s.wantRefresh = false
	s.mu.Unlock()
	ok(w, s.loginObject(s.NewSession()))
}

// myinfo is x/space/myinfo (§2.2 Login check): authed answers -101
// without a live SESSDATA.
func (s *Site) myinfo(w http.ResponseWriter, r *http.Request) {
	ok(w, map[string]any{"mid": 10086, "name": "fanout测试号"})
}
