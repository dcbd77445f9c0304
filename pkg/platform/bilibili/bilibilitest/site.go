// Package bilibilitest is a fake of Bilibili's upload protocol for tests
// and demos: one HTTP server playing the passport (TV QR login, token check
// and refresh), api (myinfo), member (preupload, cover, submit, archive
// list) and UPOS (init, chunk PUTs, complete) hosts, as
// /work/shared/reference/bilibili-upload.md §10 describes the double (cited
// as §n; behaviour the reference does not describe is marked assumed). The
// bilibili driver builds every URL from its Config and the preupload's
// endpoint, so pointing its BaseURL, PassportURL and APIURL at the fake
// runs it unchanged.
//
//	POST /x/passport-tv-login/qrcode/auth_code   signed; {url, auth_code}; url is the phone's scan URL
//	POST /x/passport-tv-login/qrcode/poll        signed; 86039 waiting, 86090 scanned, 86038 expired, 0 + login object
//	GET  /x/passport-login/oauth2/info           signed; {mid, access_token, expires_in, refresh}
//	POST /x/passport-login/oauth2/refresh_token  signed; a new login object
//	GET  /x/space/myinfo                         cookies; {mid, name} or -101
//	GET  /preupload                              cookies; {OK, auth, biz_id, chunk_size, endpoint, upos_uri}
//	POST /ugcfx2lf/{file}?uploads                X-Upos-Auth; {OK, upload_id}
//	PUT  /ugcfx2lf/{file}?partNumber…            X-Upos-Auth; one chunk, checked against the protocol
//	POST /ugcfx2lf/{file}?uploadId…              X-Upos-Auth; {"parts":[…]}; assembles and hashes the file
//	POST /x/vu/web/cover/up                      cookies + csrf; {url}
//	POST /x/vu/app/add                           signed with access_key; the Studio JSON
//	POST /x/vu/web/add/v3?csrf=                  cookies + csrf; the Studio JSON
//	GET  /x/web/archives                         cookies; the member's archives, newest first (assumed)
//
// The QR codes, sessions (the SESSDATA cookie), knobs and the record of
// posts are the shared kernel's (package fakesite), with its /__fake__/
// endpoints: POST /__fake__/scan[?confirm=0] plays the phone exactly as on
// every other fake. POST /__fake__/knobs also takes this fake's own knobs
// (see Knobs); "fail_next_upload" fails the next chunk PUT once.
package bilibilitest

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"fanout/pkg/platform/fakesite"
	"fanout/pkg/web"
)

// AppSec is the BiliTV app secret the signed calls are checked against
// (§1; public in every TV-login client).
const AppSec = "59b43e04ad6965f34319062b478f83dd"

// Codes the fake answers with (§7, §4; CodeRejected is assumed).
const (
	CodeNotLoggedIn = -101
	CodeCSRF        = -111
	CodeBadParams   = 21001
	CodeTags        = 21005
	CodeDtime       = 21006
	CodeTitle       = 21103
	CodeRiskControl = 21566
	CodeTooFrequent = 137022
	CodeRejected    = 21000
)

// Post is one submission the site accepted, as the tests assert it.
type Post struct {
	fakesite.Text
	fakesite.Media
	TID   int    `json:"tid"`
	Cover string `json:"cover,omitempty"`
	// ScheduleAt is dtime; zero for an immediate publish.
	ScheduleAt time.Time `json:"schedule_at,omitzero"`
	Copyright  int       `json:"copyright"`
	// Filename is the upload's stem the submission named; Via is "app"
	// (x/vu/app/add) or "web" (x/vu/web/add/v3).
	Filename string    `json:"filename"`
	Via      string    `json:"via"`
	Aid      int64     `json:"aid"`
	Bvid     string    `json:"bvid"`
	At       time.Time `json:"at"`
}

// token is a TV login's token pair, bound to the session it logged in.
type token struct {
	session string
	refresh string
	mid     int64
}

// Site is the fake. It is an http.Handler, safe for concurrent use.
type Site struct {
	*fakesite.Kernel[Post]

	mu          sync.Mutex
	chunkSize   int64
	tokens      map[string]*token // access token →
	files       map[string]*upload
	covers      map[string]string // cover URL → sha256
	failChunks  int
	failChunk   map[int]int // chunk index → failures still to give
	failed      int         // chunk failures served
	rateLimits  int
	wantRefresh bool
	refreshes   int
	submitCode  int
	inFlight    int
	peak        int
	nextAid     int64
}

// DefaultChunkSize is the chunk_size the preupload names unless
// SetChunkSize changed it: small, so the test video is several chunks
// (§10 Preupload).
const DefaultChunkSize = 4096

// New returns a fresh fake with default knobs: login required, nothing
// failing.
func New(opt fakesite.Options) *Site {
	s := &Site{}
	s.Kernel = fakesite.New[Post](opt, fakesite.Config{
		SessionCookie: "SESSDATA",
		// The other cookies of a login (§2.1 step 4): bili_jct is the csrf.
		Cookies: func(session string) []web.Cookie {
			return []web.Cookie{{Name: "bili_jct", Value: csrfOf(session)}, {Name: "DedeUserID", Value: "10086"}}
		},
		API: fakesite.API{
			OK:   func(data any) any { return map[string]any{"code": 0, "message": "0", "ttl": 1, "data": data} },
			Fail: func(code int, msg string) any { return map[string]any{"code": code, "message": msg, "ttl": 1} },
		},
		Unauthorized: func(*http.Request) any {
			return map[string]any{"code": CodeNotLoggedIn, "message": "账号未登录", "ttl": 1}
		},
		OnReset: s.reset,
	})
	s.reset()
	s.routes()
	return s
}

func (s *Site) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chunkSize = DefaultChunkSize
	s.tokens = map[string]*token{}
	s.files = map[string]*upload{}
	s.covers = map[string]string{}
	s.failChunk = map[int]int{}
	s.failChunks, s.failed, s.rateLimits, s.refreshes, s.submitCode, s.inFlight, s.peak = 0, 0, 0, 0, 0, 0, 0
	s.wantRefresh = false
	s.nextAid = 100000
}

func (s *Site) routes() {
	s.HandleFunc("POST /x/passport-tv-login/qrcode/auth_code", s.authCode)
	s.HandleFunc("POST /x/passport-tv-login/qrcode/poll", s.poll)
	s.HandleFunc("GET /x/passport-login/oauth2/info", s.tokenInfo)
	s.HandleFunc("POST /x/passport-login/oauth2/refresh_token", s.refreshToken)
	s.HandleFunc("GET /x/space/myinfo", s.authed(s.myinfo))
	s.HandleFunc("GET /preupload", s.preupload)
	s.HandleFunc("POST /ugcfx2lf/{file}", s.uposPost)
	s.HandleFunc("PUT /ugcfx2lf/{file}", s.chunk)
	s.HandleFunc("POST /x/vu/web/cover/up", s.authed(s.cover))
	s.HandleFunc("POST /x/vu/app/add", s.appAdd)
	s.HandleFunc("POST /x/vu/web/add/v3", s.authed(s.webAdd))
	s.HandleFunc("GET /x/web/archives", s.authed(s.archives))
}

// csrfOf is the bili_jct of a session (any value tied to it will do).
func csrfOf(session string) string {
	sum := md5.Sum([]byte("csrf:" + session))
	return hex.EncodeToString(sum[:])
}

// Knobs are the fake's own knobs in the body of POST /__fake__/knobs,
// beside the kernel's.
type Knobs struct {
	FailNextUpload bool   `json:"fail_next_upload,omitempty"`
	RateLimit      int    `json:"rate_limit,omitempty"`
	TokenRefresh   *bool  `json:"token_refresh,omitempty"`
	SubmitCode     *int   `json:"submit_code,omitempty"`
	ChunkSize      *int64 `json:"chunk_size,omitempty"`
}

// ServeHTTP implements http.Handler: this fake's knobs first, then the
// kernel.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && r.URL.Path == "/__fake__/knobs" {
		b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		var kn Knobs
		if err == nil && json.Unmarshal(b, &kn) == nil {
			s.apply(kn)
		}
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	s.Kernel.ServeHTTP(w, r)
}

func (s *Site) apply(kn Knobs) {
	if kn.FailNextUpload {
		s.FailNextUpload()
	}
	if kn.RateLimit > 0 {
		s.RateLimit(kn.RateLimit)
	}
	if kn.TokenRefresh != nil {
		s.AskRefresh(*kn.TokenRefresh)
	}
	if kn.SubmitCode != nil {
		s.FailSubmit(*kn.SubmitCode)
	}
	if kn.ChunkSize != nil {
		s.SetChunkSize(*kn.ChunkSize)
	}
}

// FailNextUpload makes the next chunk PUT fail once with HTTP 500 (§10
// Chunk PUT knobs); each call adds one failure.
func (s *Site) FailNextUpload() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failChunks++
}

// FailChunk makes chunk i (0-based) of every upload fail its next times
// PUTs with HTTP 500 (§10 Chunk PUT knobs: chunk k fails M times).
func (s *Site) FailChunk(i, times int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failChunk[i] = times
}

// ChunkFailures counts the chunk PUTs the knobs failed.
func (s *Site) ChunkFailures() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failed
}

// RateLimit makes the next n preuploads answer HTTP 406 with code 601
// (§10 Preupload knob, §7).
func (s *Site) RateLimit(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rateLimits = n
}

// AskRefresh sets the refresh flag oauth2/info answers (§10 Tokens).
func (s *Site) AskRefresh(v bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wantRefresh = v
}

// Refreshes counts the token refreshes served.
func (s *Site) Refreshes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refreshes
}

// FailSubmit makes the next submission answer code (21566 or 137022, §10
// Submit knobs); 0 removes the knob.
func (s *Site) FailSubmit(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.submitCode = code
}

// SetChunkSize sets the chunk_size later preuploads name.
func (s *Site) SetChunkSize(n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n > 0 {
		s.chunkSize = n
	}
}

// PeakInFlight is the most chunk PUTs that were in flight at once (§10).
func (s *Site) PeakInFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak
}

// authed answers a call without a live SESSDATA with HTTP 200 and code
// -101, as the member and api hosts do (§4 errors; assumed for the hosts
// the reference does not show).
func (s *Site) authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.validSession(sessionOf(r)) {
			fail(w, http.StatusOK, CodeNotLoggedIn, "账号未登录")
			return
		}
		h(w, r)
	}
}

// validSession reports whether session is a live SESSDATA.
func (s *Site) validSession(session string) bool {
	r := &http.Request{Header: http.Header{"Cookie": {"SESSDATA=" + session}}}
	return session != "" && s.LoggedIn(r)
}

// sessionOf returns the SESSDATA of r.
func sessionOf(r *http.Request) string {
	c, err := r.Cookie("SESSDATA")
	if err != nil {
		return ""
	}
	return c.Value
}

// signed reports whether params carry a valid sign (§1 Sign).
func signed(params url.Values) bool {
	got := params.Get("sign")
	rest := url.Values{}
	for k, v := range params {
		if k != "sign" {
			rest[k] = v
		}
	}
	sum := md5.Sum([]byte(rest.Encode() + AppSec))
	return got != "" && got == hex.EncodeToString(sum[:]) && params.Get("appkey") == "4409e2ce8ffd12b8"
}

// ok and fail write the {code,message,ttl,data} envelope (§1).
func ok(w http.ResponseWriter, data any) {
	fakesite.WriteJSON(w, http.StatusOK, map[string]any{"code": 0, "message": "0", "ttl": 1, "data": data})
}

func fail(w http.ResponseWriter, status, code int, msg string) {
	fakesite.WriteJSON(w, status, map[string]any{"code": code, "message": msg, "ttl": 1})
}
