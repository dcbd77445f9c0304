// Package webcasttest is a fake of the Douyin endpoints package webcast
// calls: the companion's passport QR login (get_qrcode, check_qrconnect),
// webcast.amemv.com (user/me, room create_info, create, ping/anchor,
// check_exist) and the web user search. One server answers for every host.
//
// It checks request shapes the way the real service would reject them: the
// companion's common query (app_name webcast_mate, aid 2079, device ids),
// the passport SDK query (app_name aweme_live_assistant), the form fields of
// create and ping, the session cookie, and a request signature: every request
// must carry a_bogus equal to Sign of the request, which the fake's own
// signer endpoint (POST /__fake__/sign, the protocol of webcast.HTTPSigner)
// computes. It knows the 抖音号 123456 (nickname 用户_123456, signature
// 这是123456的签名).
//
// Test and demo endpoints: POST /__fake__/scan[?douyin_id=…&confirm=0] plays
// the phone on the newest QR code; GET /__fake__/state lists rooms and
// pings; POST /__fake__/end-room?room_id=… ends a room as Douyin would.
package webcasttest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"fanout/pkg/live/webcast"
)

// User is a Douyin user the fake knows.
type User struct {
	DouyinID  string `json:"douyin_id"`
	UID       string `json:"uid"`
	SecUID    string `json:"sec_uid"`
	Nickname  string `json:"nickname"`
	Signature string `json:"signature"`
	// Title and CoverURI are what create_info offers as defaults.
	Title    string `json:"title"`
	CoverURI string `json:"cover_uri"`
}

// Room is a room as the fake holds it.
type Room struct {
	RoomID    string    `json:"room_id"`
	StreamID  string    `json:"stream_id"`
	DouyinID  string    `json:"douyin_id"`
	Title     string    `json:"title"`
	CoverURI  string    `json:"cover_uri"`
	Status    int       `json:"status"`
	Pings     int       `json:"pings"`
	LastPing  time.Time `json:"last_ping"`
	PushURL   string    `json:"push_url"`
	CreatedAt time.Time `json:"created_at"`
	ClosedAt  time.Time `json:"closed_at"`
}

// Options tune the fake.
type Options struct {
	// QRLifetime is how long a QR code can be scanned (default 2m).
	QRLifetime time.Duration
}

type qr struct {
	state    int
	douyinID string
	expires  time.Time
	consumed bool
}

// Server is the fake.
type Server struct {
	opt Options
	mu  sync.Mutex
	// users by 抖音号
	users    map[string]*User
	qrs      map[string]*qr
	newestQR string
	sessions map[string]string // sessionid → 抖音号
	rooms    map[string]*Room
	order    []string
	preKeys  map[string]string // 抖音号 → last preschedule_key
	failNext *struct {
		code int
		msg  string
		auth string
	}
	requests int
	srv      *httptest.Server
}

// New returns a fake that knows 123456.
func New(opt Options) *Server {
	if opt.QRLifetime <= 0 {
		opt.QRLifetime = 2 * time.Minute
	}
	s := &Server{opt: opt, users: map[string]*User{}, qrs: map[string]*qr{}, sessions: map[string]string{},
		rooms: map[string]*Room{}, preKeys: map[string]string{}}
	s.AddUser(User{DouyinID: "123456", UID: "1234567890123", SecUID: "MS4wLjABAAAA123456", Nickname: "用户_123456",
		Signature: "这是123456的签名", Title: "用户_123456的直播间", CoverURI: "https://p3-webcast.douyinpic.com/img/webcast/cover_123456.jpeg"})
	return s
}

// NewServer starts a fake on loopback for the test.
func NewServer(t testing.TB, opt Options) *Server {
	s := New(opt)
	s.srv = httptest.NewServer(s)
	t.Cleanup(s.srv.Close)
	return s
}

// URL is the base URL of a fake started with NewServer.
func (s *Server) URL() string { return s.srv.URL }

// SignerURL is the fake's signer endpoint under base.
func SignerURL(base string) string { return strings.TrimRight(base, "/") + "/__fake__/sign" }

// AddUser adds or replaces a user.
func (s *Server) AddUser(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cp := u
	s.users[u.DouyinID] = &cp
}

// Sign is the fake's request signature: what its signer returns as a_bogus
// and what every endpoint checks.
func Sign(method, rawURL, body, userAgent string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return signParts(method, u.Path, u.Query(), body, userAgent)
}

func signParts(method, path string, q url.Values, body, ua string) string {
	q = cloneValues(q)
	q.Del("a_bogus")
	h := sha256.Sum256([]byte("fanout-fake-bogus|" + method + "|" + path + "|" + q.Encode() + "|" + body + "|" + ua))
	return hex.EncodeToString(h[:20])
}

func cloneValues(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// Scan plays the phone: the newest scannable QR code is scanned by the user
// douyinID (empty: 123456) and, with confirm, confirmed.
func (s *Server) Scan(douyinID string, confirm bool) error {
	if douyinID == "" {
		douyinID = "123456"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.users[douyinID] == nil {
		return fmt.Errorf("webcasttest: unknown user %s", douyinID)
	}
	q := s.qrs[s.newestQR]
	if q == nil || q.consumed || time.Now().After(q.expires) || q.state > webcast.QRScanned {
		return errors.New("webcasttest: no scannable QR code")
	}
	q.douyinID = douyinID
	q.state = webcast.QRScanned
	if confirm {
		q.state = webcast.QRConfirmed
	}
	return nil
}

// Rooms returns every room, oldest first.
func (s *Server) Rooms() []Room {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Room, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, *s.rooms[id])
	}
	return out
}

// Room returns one room.
func (s *Server) Room(id string) (Room, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.rooms[id]
	if r == nil {
		return Room{}, false
	}
	return *r, true
}

// EndRoom ends a room the way Douyin does on its own (no pings, a ban, the
// phone app): later pings answer 30003.
func (s *Server) EndRoom(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.rooms[id]; r != nil && r.Status != webcast.StatusFinish {
		r.Status, r.ClosedAt = webcast.StatusFinish, time.Now()
	}
}

// ExpireSessions logs every companion session out.
func (s *Server) ExpireSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions = map[string]string{}
}

// FailNextCreate makes the next room create answer status code code with
// the prompt msg (and, for 4003028, a web_auth_address).
func (s *Server) FailNextCreate(code int, msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext = &struct {
		code int
		msg  string
		auth string
	}{code, msg, ""}
	if code == 4003028 {
		s.failNext.auth = "https://www.douyin.com/falcon/webcast_openpc/pages/auth/index.html"
	}
}

// Requests counts the requests that passed the signature check.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

func randomID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
