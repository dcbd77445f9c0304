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
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	qrcode "github.com/skip2/go-qrcode"

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

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/__fake__/sign":
		s.sign(w, r)
		return
	case "/__fake__/scan":
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		if err := s.Scan(r.URL.Query().Get("douyin_id"), r.URL.Query().Get("confirm") != "0"); err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
		writeJSON(w, map[string]bool{"ok": true})
		return
	case "/__fake__/state":
		writeJSON(w, map[string]any{"rooms": s.Rooms()})
		return
	case "/__fake__/end-room":
		s.EndRoom(r.URL.Query().Get("room_id"))
		writeJSON(w, map[string]bool{"ok": true})
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if got := r.URL.Query().Get("a_bogus"); got == "" || got != signParts(r.Method, r.URL.Path, r.URL.Query(), string(body), r.UserAgent()) {
		// Douyin answers an unsigned request with 200 and an empty body.
		w.WriteHeader(http.StatusOK)
		return
	}
	s.mu.Lock()
	s.requests++
	s.mu.Unlock()
	form, _ := url.ParseQuery(string(body))
	q := r.URL.Query()
	switch r.URL.Path {
	case "/passport/web/get_qrcode/":
		s.getQRCode(w, r, q)
	case "/passport/web/check_qrconnect/":
		s.checkQR(w, r, q)
	case "/aweme/v1/web/discover/search/":
		s.search(w, r, q)
	case "/webcast/user/me/", "/webcast/room/create_info/", "/webcast/room/create/", "/webcast/room/ping/anchor/", "/webcast/room/check_exist/":
		s.webcast(w, r, q, form)
	default:
		http.NotFound(w, r)
	}
}

// sign is the signer service (webcast.HTTPSigner's protocol).
func (s *Server) sign(w http.ResponseWriter, r *http.Request) {
	var req webcast.SignRequest
	if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&req) != nil || req.URL == "" {
		http.Error(w, "POST a SignRequest", http.StatusBadRequest)
		return
	}
	writeJSON(w, webcast.Signature{Query: map[string]string{"a_bogus": Sign(req.Method, req.URL, req.Body, req.UserAgent)}})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func passportError(w http.ResponseWriter, code int, desc string) {
	writeJSON(w, map[string]any{"message": "error", "data": map[string]any{"error_code": code, "description": desc}})
}

func checkPassportQuery(q url.Values) string {
	switch {
	case q.Get("app_name") != "aweme_live_assistant":
		return "app_name must be aweme_live_assistant"
	case q.Get("passport_jssdk_version") == "":
		return "version too low" // the real 4031
	case q.Get("aid") != "2079" || q.Get("device_platform") != "Windows" || q.Get("did") == "":
		return "missing device parameters"
	}
	return ""
}

func (s *Server) getQRCode(w http.ResponseWriter, r *http.Request, q url.Values) {
	if r.Method != http.MethodGet {
		passportError(w, 1, "method")
		return
	}
	if msg := checkPassportQuery(q); msg != "" {
		passportError(w, 4031, msg)
		return
	}
	token := randomID(16)
	png, err := qrcode.Encode("http://"+r.Host+"/__fake__/scan?token="+token, qrcode.Medium, 200)
	if err != nil {
		passportError(w, 2, err.Error())
		return
	}
	s.mu.Lock()
	s.qrs[token] = &qr{state: webcast.QRNew, expires: time.Now().Add(s.opt.QRLifetime)}
	s.newestQR = token
	s.mu.Unlock()
	writeJSON(w, map[string]any{"message": "success", "data": map[string]any{
		"token": token, "qrcode": base64.StdEncoding.EncodeToString(png), "qrcode_index_url": "https://aweme.snssdk.com/magic/eco/runtime/release/qrcode?token=" + token}})
}

func (s *Server) checkQR(w http.ResponseWriter, r *http.Request, q url.Values) {
	if r.Method != http.MethodPost || q.Get("is_frontier") != "true" {
		passportError(w, 1, "POST with is_frontier=true")
		return
	}
	if msg := checkPassportQuery(q); msg != "" {
		passportError(w, 4031, msg)
		return
	}
	s.mu.Lock()
	c := s.qrs[q.Get("token")]
	if c == nil {
		s.mu.Unlock()
		passportError(w, 2046, "token invalid")
		return
	}
	if c.consumed || (c.state < webcast.QRConfirmed && time.Now().After(c.expires)) {
		c.state = webcast.QRExpired
	}
	state := c.state
	var sid string
	if state == webcast.QRConfirmed {
		c.consumed = true
		sid = randomID(16)
		s.sessions[sid] = c.douyinID
	}
	s.mu.Unlock()
	if sid != "" {
		for _, name := range []string{"sessionid", "sessionid_ss", "sid_tt"} {
			http.SetCookie(w, &http.Cookie{Name: name, Value: sid, Path: "/", Domain: "douyin.com", HttpOnly: true, Expires: time.Now().Add(60 * 24 * time.Hour)})
		}
		http.SetCookie(w, &http.Cookie{Name: "passport_assist_user", Value: randomID(8), Path: "/", Domain: "douyin.com"})
	}
	writeJSON(w, map[string]any{"message": "success", "data": map[string]any{"status": strconv.Itoa(state), "error_code": 0}})
}

func (s *Server) search(w http.ResponseWriter, r *http.Request, q url.Values) {
	if r.Method != http.MethodGet || q.Get("aid") != "6383" || q.Get("search_channel") == "" || !strings.HasPrefix(q.Get("search_channel"), "aweme_user") || q.Get("keyword") == "" {
		writeJSON(w, map[string]any{"status_code": 2483, "status_msg": "invalid search parameters"})
		return
	}
	s.mu.Lock()
	u := s.users[q.Get("keyword")]
	s.mu.Unlock()
	data := []any{}
	if u != nil {
		data = append(data, map[string]any{"type": 4, "user_list": []any{map[string]any{"user_info": map[string]any{
			"uid": u.UID, "sec_uid": u.SecUID, "unique_id": u.DouyinID, "short_id": "0", "nickname": u.Nickname, "signature": u.Signature}}}})
	}
	writeJSON(w, map[string]any{"status_code": 0, "data": data})
}

func webcastError(w http.ResponseWriter, code int, prompt, authURL string) {
	extra := map[string]any{"now": time.Now().UnixMilli()}
	if authURL != "" {
		extra["web_auth_address"] = authURL
	}
	writeJSON(w, map[string]any{"status_code": code, "data": map[string]any{"prompts": prompt, "message": prompt}, "extra": extra})
}

func webcastOK(w http.ResponseWriter, data any) {
	writeJSON(w, map[string]any{"status_code": 0, "data": data, "extra": map[string]any{"now": time.Now().UnixMilli()}})
}

func (s *Server) sessionUser(r *http.Request) *User {
	c, err := r.Cookie("sessionid")
	if err != nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.users[s.sessions[c.Value]]
}

func (s *Server) webcast(w http.ResponseWriter, r *http.Request, q url.Values, form url.Values) {
	if q.Get("app_name") != "webcast_mate" || q.Get("aid") != "2079" || q.Get("device_id") == "" || q.Get("iid") == "" || !strings.Contains(r.UserAgent(), "webcast_mate") {
		webcastError(w, 10011, "参数错误: companion query (app_name, aid, device_id, iid, user agent) missing", "")
		return
	}
	wantMethod := http.MethodPost
	if r.URL.Path == "/webcast/user/me/" || r.URL.Path == "/webcast/room/check_exist/" {
		wantMethod = http.MethodGet
	}
	if r.Method != wantMethod {
		webcastError(w, 10011, "method must be "+wantMethod, "")
		return
	}
	if wantMethod == http.MethodPost && r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		webcastError(w, 10011, "form body expected", "")
		return
	}
	u := s.sessionUser(r)
	if u == nil {
		webcastError(w, 20003, "用户未登录", "")
		return
	}
	switch r.URL.Path {
	case "/webcast/user/me/":
		webcastOK(w, map[string]any{"id_str": u.UID, "sec_uid": u.SecUID, "display_id": u.DouyinID, "short_id": 0,
			"nickname": u.Nickname, "signature": u.Signature})
	case "/webcast/room/create_info/":
		if form.Get("enable_preview_stream") != "1" || form.Get("live_room_mode") == "" {
			webcastError(w, 10011, "create_info form incomplete", "")
			return
		}
		key := randomID(8)
		s.mu.Lock()
		s.preKeys[u.DouyinID] = key
		s.mu.Unlock()
		webcastOK(w, map[string]any{"title": u.Title, "cover": map[string]any{"uri": u.CoverURI, "url_list": []string{u.CoverURI}},
			"preview_stream": map[string]any{"preschedule_key": key}})
	case "/webcast/room/create/":
		s.create(w, u, form)
	case "/webcast/room/ping/anchor/":
		s.ping(w, u, form)
	case "/webcast/room/check_exist/":
		s.mu.Lock()
		room := s.rooms[q.Get("room_id")]
		var st int
		if room != nil && room.DouyinID == u.DouyinID {
			st = room.Status
		}
		s.mu.Unlock()
		webcastOK(w, map[string]any{"exist": st != 0 && st != webcast.StatusFinish, "status": st})
	}
}

func (s *Server) create(w http.ResponseWriter, u *User, form url.Values) {
	title := form.Get("title")
	switch {
	case title == "" || utf8.RuneCountInString(title) > 30:
		webcastError(w, 10011, "标题不能为空且不超过30字", "")
		return
	case form.Get("third_party") != "1" || !strings.Contains("123", form.Get("push_stream_type")) || form.Get("push_stream_type") == "":
		webcastError(w, 10011, "third_party/push_stream_type invalid", "")
		return
	case form.Get("cover_uri") == "" && form.Get("auto_cover") != "1":
		webcastError(w, 10011, "cover_uri or auto_cover required", "")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if form.Get("pre_schedule_key") == "" || form.Get("pre_schedule_key") != s.preKeys[u.DouyinID] {
		webcastError(w, 10011, "pre_schedule_key does not match create_info", "")
		return
	}
	delete(s.preKeys, u.DouyinID)
	if f := s.failNext; f != nil {
		s.failNext = nil
		webcastError(w, f.code, f.msg, f.auth)
		return
	}
	// One room per anchor: a new room ends the previous one.
	for _, r := range s.rooms {
		if r.DouyinID == u.DouyinID && r.Status != webcast.StatusFinish {
			r.Status, r.ClosedAt = webcast.StatusFinish, time.Now()
		}
	}
	now := time.Now()
	id := strconv.FormatInt(7300000000000000000+now.UnixNano()%1e15, 10)
	stream := strconv.FormatInt(now.UnixNano()%1e17, 10)
	exp := strconv.FormatInt(now.Add(7*24*time.Hour).Unix(), 10)
	sig := randomID(16)
	push := "rtmp://push-rtmp-t5.douyincdn.com/third/stream-" + stream + "?arch_hrchy=w1&exp_hrchy=w1&expire=" + exp +
		"&sign=" + sig + "&t_id=037-" + randomID(8) + "&volcSecret=" + sig + "&volcTime=" + exp
	cover := form.Get("cover_uri")
	s.rooms[id] = &Room{RoomID: id, StreamID: stream, DouyinID: u.DouyinID, Title: title, CoverURI: cover,
		Status: webcast.StatusPrepare, PushURL: push, CreatedAt: now}
	s.order = append(s.order, id)
	webcastOK(w, map[string]any{"id_str": id, "stream_id_str": stream, "stream_id": json.Number(stream), "status": webcast.StatusPrepare,
		"stream_url": map[string]any{"rtmp_push_url": push}, "owner": map[string]any{"nickname": u.Nickname}})
}

func (s *Server) ping(w http.ResponseWriter, u *User, form url.Values) {
	s.mu.Lock()
	defer s.mu.Unlock()
	room := s.rooms[form.Get("room_id")]
	if room == nil || room.DouyinID != u.DouyinID || room.StreamID != form.Get("stream_id") {
		webcastError(w, 30001, "直播间不存在", "")
		return
	}
	switch form.Get("status") {
	case "2":
		if room.Status == webcast.StatusFinish {
			webcastError(w, 30003, "直播已结束", "")
			return
		}
		room.Status = webcast.StatusLiving
		room.Pings++
		room.LastPing = time.Now()
	case "4":
		if room.Status == webcast.StatusFinish {
			webcastError(w, 30003, "直播已结束", "")
			return
		}
		if form.Get("reason_no") == "" {
			webcastError(w, 10011, "reason_no required", "")
			return
		}
		room.Status, room.ClosedAt = webcast.StatusFinish, time.Now()
	default:
		webcastError(w, 10011, "bad status", "")
		return
	}
	webcastOK(w, map[string]any{})
}
