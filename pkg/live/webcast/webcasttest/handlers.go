package webcasttest

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	qrcode "github.com/skip2/go-qrcode"

	"fanout/pkg/live/webcast"
)

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
