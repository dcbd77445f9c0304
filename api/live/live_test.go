package live_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"

	"fanout/api/server"
	"fanout/pkg/filestore"
	"fanout/pkg/live"
	"fanout/pkg/live/tencent/tencenttest"
	"fanout/pkg/live/webcast/webcasttest"
	"fanout/pkg/postgres"
	"fanout/pkg/postgres/pgtest"
	"fanout/pkg/task"
	"fanout/pkg/testenv"
)

type liveAPI struct {
	t       *testing.T
	srv     *httptest.Server
	token   string
	douyin  *webcasttest.Server
	tencent *tencenttest.Server
}

// setupLive serves the API with the live assistant on the fakes, and runs
// the live worker (for the QR login job).
func setupLive(t *testing.T, mutate func(*live.Config)) *liveAPI {
	t.Helper()
	store, _ := pgtest.Store(t)
	addr, db := testenv.Redis(t)
	redis := asynq.RedisClientOpt{Addr: addr, DB: db}
	queue := task.NewQueue(redis)
	t.Cleanup(func() { queue.Close() })
	files, _ := filestore.New(t.TempDir())
	a := &liveAPI{t: t, douyin: webcasttest.NewServer(t, webcasttest.Options{}), tencent: tencenttest.NewServer(t)}
	cfg := live.Config{
		WebcastURL: a.douyin.URL(), PassportURL: a.douyin.URL(), WebURL: a.douyin.URL(), SignerURL: webcasttest.SignerURL(a.douyin.URL()),
		PingInterval: time.Second, QRPoll: 20 * time.Millisecond, LoginTimeout: 20 * time.Second,
		TencentAPIURL: a.tencent.URL(), TencentSecretID: a.tencent.SecretID, TencentSecretKey: a.tencent.SecretKey,
		PushDomain: "push.fanout.test", PushKey: "k", PlayDomain: "play.fanout.test",
		AllowPrivateProxy: true, // the tests' proxies are on loopback and private ranges
	}
	if mutate != nil {
		mutate(&cfg)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := live.New(store, redis, log, cfg)
	t.Cleanup(func() { svc.Close() })
	mux := asynq.NewServeMux()
	live.NewWorker(svc, "api-test").Register(mux)
	srv := asynq.NewServer(redis, asynq.Config{Concurrency: 2, Queues: map[string]int{live.Queue: 1},
		TaskCheckInterval: 20 * time.Millisecond, LogLevel: asynq.FatalLevel})
	if err := srv.Start(mux); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	a.srv = httptest.NewServer(server.New(store, queue, files, log, server.Config{Live: svc}))
	t.Cleanup(a.srv.Close)
	a.token = pgtest.Token(t, store, "live")
	return a
}

type liveResp struct {
	status int
	body   map[string]any
	raw    string
}

func (a *liveAPI) call(method, path string, body any) liveResp {
	a.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, a.srv.URL+path, rd)
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	r := liveResp{status: res.StatusCode, raw: string(raw)}
	if err := json.Unmarshal(raw, &r.body); err != nil {
		a.t.Fatalf("%s %s: not JSON: %s", method, path, raw)
	}
	return r
}

// ok checks a 200 success and returns data (or the whole body).
func (r liveResp) ok(t *testing.T) map[string]any {
	t.Helper()
	if r.status != http.StatusOK || r.body["success"] != true {
		t.Fatalf("want 200 success, got %d %s", r.status, r.raw)
	}
	if d, ok := r.body["data"].(map[string]any); ok {
		return d
	}
	return r.body
}

// fail checks the error envelope exactly.
func (r liveResp) fail(t *testing.T, status int, detail string) {
	t.Helper()
	if r.status != status || r.body["success"] != false || r.body["detail"] != detail || len(r.body) != 2 {
		t.Fatalf("want %d {success:false, detail:%q}, got %d %s", status, detail, r.status, r.raw)
	}
}

// login logs 123456 in through the API and the fake's simulated phone.
func (a *liveAPI) login() {
	a.t.Helper()
	d := a.call("POST", "/douyin/login", nil).ok(a.t)
	id, _ := d["login_id"].(string)
	deadline := time.Now().Add(15 * time.Second)
	scanned := false
	for time.Now().Before(deadline) {
		d = a.call("GET", "/douyin/login?login_id="+id, nil).ok(a.t)
		switch d["status"] {
		case "qrcode":
			if !scanned {
				if !strings.HasPrefix(d["qrcode"].(string), "data:image/png;base64,") {
					a.t.Fatalf("qrcode %v", d["qrcode"])
				}
				if err := a.douyin.Scan("", true); err != nil {
					a.t.Fatal(err)
				}
				scanned = true
			}
		case "succeeded":
			if d["douyin_id"] != "123456" {
				a.t.Fatalf("login %v", d)
			}
			return
		case "failed", "expired":
			a.t.Fatalf("login %v", d)
		}
		time.Sleep(30 * time.Millisecond)
	}
	a.t.Fatal("login did not finish")
}

var liveGets = []string{"/douyin/user/info", "/douyin/live/create-info", "/douyin/status/live", "/douyin/schedule", "/douyin/proxy"}

type bodyRoute struct{ method, path string }

var liveBodies = []bodyRoute{{"POST", "/douyin/query"}, {"POST", "/douyin/live/prepare-tencent"}, {"POST", "/douyin/live/create"},
	{"POST", "/douyin/live/close"}, {"PUT", "/douyin/schedule"}, {"PUT", "/douyin/proxy"}}

func TestLiveAuth(t *testing.T) {
	a := setupLive(t, nil)
	a.call("GET", "/auth/verify-token", nil).ok(t)
	good := a.token
	for _, tok := range []string{"", "nope", "test_token"} {
		a.token = tok
		a.call("GET", "/auth/verify-token", nil).fail(t, 401, "无效的Token")
		for _, p := range liveGets {
			a.call("GET", p+"?douyin_id=123456", nil).fail(t, 401, "无效的Token")
		}
		for _, r := range liveBodies {
			a.call(r.method, r.path, map[string]string{"douyin_id": "123456"}).fail(t, 401, "无效的Token")
		}
	}
	a.token = good
	a.call("GET", "/douyin/status/live?douyin_id=123456", nil).fail(t, 400, "抖音号不存在")

	// The seed's test token works only in demo mode.
	demo := setupLive(t, func(c *live.Config) { c.DemoMode = true })
	demo.token = "test_token"
	demo.call("GET", "/auth/verify-token", nil).ok(t)
	demo.call("POST", "/douyin/query", map[string]string{"douyin_id": "123456"}).ok(t)
}

func TestLiveParameterErrors(t *testing.T) {
	a := setupLive(t, nil)
	for _, p := range liveGets {
		a.call("GET", p, nil).fail(t, 400, "缺少抖音号")
		a.call("GET", p+"?douyin_id=", nil).fail(t, 400, "缺少抖音号")
		a.call("GET", p+"?douyin_id=%20", nil).fail(t, 400, "缺少抖音号")
		a.call("GET", p+"?douyin_id=654321", nil).fail(t, 400, "抖音号不存在")
	}
	for _, r := range liveBodies {
		a.call(r.method, r.path, nil).fail(t, 400, "缺少抖音号")
		a.call(r.method, r.path, map[string]any{}).fail(t, 400, "缺少抖音号")
		a.call(r.method, r.path, map[string]any{"douyin_id": ""}).fail(t, 400, "缺少抖音号")
		a.call(r.method, r.path, `{"douyin_id": `).fail(t, 400, "请求体格式错误")
		a.call(r.method, r.path, map[string]any{"douyin_id": "654321", "title": "t", "cover_uri": "c", "proxy_ip": nil}).fail(t, 400, "抖音号不存在")
	}
	// Query searches any 抖音号, logged in or not; a number works as well.
	d := a.call("POST", "/douyin/query", map[string]any{"douyin_id": 123456}).ok(t)
	if d["nickname"] != "用户_123456" || d["signature"] != "这是123456的签名" {
		t.Fatalf("query %v", d)
	}
	a.call("GET", "/douyin/login?login_id=nope", nil).fail(t, 400, "登录任务不存在")
	a.call("POST", "/douyin/login", map[string]string{"account_id": uuid.NewString()}).fail(t, 400, "账号不存在或不是抖音账号")
}

func TestLiveRoomRoutes(t *testing.T) {
	a := setupLive(t, nil)
	a.login()
	d := a.call("GET", "/douyin/user/info?douyin_id=123456", nil).ok(t)
	if d["nickname"] != "用户_123456" || d["signature"] != "这是123456的签名" {
		t.Fatalf("user info %v", d)
	}
	d = a.call("GET", "/douyin/live/create-info?douyin_id=123456", nil).ok(t)
	cover, _ := d["cover"].(map[string]any)
	if d["title"] != "用户_123456的直播间" || cover == nil || !strings.HasPrefix(cover["uri"].(string), "https://") {
		t.Fatalf("create info %v", d)
	}
	st := a.call("GET", "/douyin/status/live?douyin_id=123456", nil)
	if b := st.ok(t); b["is_live"] != false || b["open_room_id"] != nil || len(b) != 3 {
		t.Fatalf("status %s", st.raw)
	}
	a.call("POST", "/douyin/live/close", map[string]string{"douyin_id": "123456"}).fail(t, 400, "当前无直播")
	d = a.call("POST", "/douyin/live/prepare-tencent", map[string]string{"douyin_id": "123456"}).ok(t)
	if u, _ := d["push_url_a"].(string); !strings.HasPrefix(u, "rtmp://push.fanout.test/live/douyin_123456?txSecret=") {
		t.Fatalf("prepare %v", d)
	}
	a.call("POST", "/douyin/live/create", map[string]string{"douyin_id": "123456"}).fail(t, 400, "缺少必要参数")
	a.call("POST", "/douyin/live/create", map[string]string{"douyin_id": "123456", "title": " ", "cover_uri": "c"}).fail(t, 400, "缺少必要参数")
	d = a.call("POST", "/douyin/live/create", map[string]string{"douyin_id": "123456", "title": "我的直播标题", "cover_uri": cover["uri"].(string)}).ok(t)
	if d["mode"] != "tencent" || d["tencent_task_status"] != "created" || d["open_room_id"] == "" ||
		!strings.HasPrefix(d["user_obs_push_url"].(string), "rtmp://push.fanout.test/live/douyin_123456?txSecret=") {
		t.Fatalf("create %v", d)
	}
	room := d["open_room_id"].(string)
	st = a.call("GET", "/douyin/status/live?douyin_id=123456", nil)
	if b := st.ok(t); b["is_live"] != true || b["open_room_id"] != room {
		t.Fatalf("status %s", st.raw)
	}
	r := a.call("POST", "/douyin/live/close", map[string]string{"douyin_id": "123456"})
	if r.status != 200 || r.body["success"] != true || r.body["detail"] != "直播已关闭" {
		t.Fatalf("close %s", r.raw)
	}
	if fr, _ := a.douyin.Room(room); fr.Status != 4 {
		t.Fatalf("fake room %+v", fr)
	}
	a.call("POST", "/douyin/live/close", map[string]string{"douyin_id": "123456"}).fail(t, 400, "当前无直播")
	if b := a.call("GET", "/douyin/status/live?douyin_id=123456", nil).ok(t); b["is_live"] != false || b["open_room_id"] != nil {
		t.Fatalf("status after close %v", b)
	}
	// A session Douyin no longer accepts is the user's to renew.
	a.douyin.ExpireSessions()
	a.call("GET", "/douyin/user/info?douyin_id=123456", nil).fail(t, 400, "抖音登录已失效,请重新扫码登录")
}

func TestLiveScheduleAndProxyRoutes(t *testing.T) {
	a := setupLive(t, nil)
	a.login()
	b := a.call("GET", "/douyin/schedule?douyin_id=123456", nil).ok(t)
	want := map[string]any{"success": true, "scheduled_start_enabled": false, "scheduled_start_time": nil, "scheduled_stop_enabled": false, "scheduled_stop_time": nil}
	if !equalJSON(b, want) {
		t.Fatalf("schedule %v", b)
	}
	past := time.Now().Add(-time.Hour).Unix()
	start := time.Now().Add(time.Hour).Unix()
	put := func(body map[string]any) liveResp {
		body["douyin_id"] = "123456"
		return a.call("PUT", "/douyin/schedule", body)
	}
	put(map[string]any{"start_enabled": true, "start_time": past}).fail(t, 400, "无效的开播时间或时间已过")
	put(map[string]any{"start_enabled": true, "start_time": nil}).fail(t, 400, "无效的开播时间或时间已过")
	put(map[string]any{"start_enabled": true, "start_time": "tomorrow"}).fail(t, 400, "请求体格式错误")
	put(map[string]any{"stop_enabled": true, "stop_time": past}).fail(t, 400, "无效的关播时间或时间已过")
	put(map[string]any{"start_enabled": true, "start_time": start, "stop_enabled": true, "stop_time": start - 60}).fail(t, 400, "关播时间必须晚于开播时间")
	put(map[string]any{"start_enabled": true, "start_time": start, "stop_enabled": false, "stop_time": nil}).ok(t)
	b = a.call("GET", "/douyin/schedule?douyin_id=123456", nil).ok(t)
	want = map[string]any{"success": true, "scheduled_start_enabled": true, "scheduled_start_time": float64(start), "scheduled_stop_enabled": false, "scheduled_stop_time": nil}
	if !equalJSON(b, want) {
		t.Fatalf("schedule %v", b)
	}
	put(map[string]any{"start_enabled": false, "start_time": start}).ok(t)
	if b = a.call("GET", "/douyin/schedule?douyin_id=123456", nil).ok(t); b["scheduled_start_enabled"] != false || b["scheduled_start_time"] != float64(start) {
		t.Fatalf("schedule after disabling %v", b)
	}

	if d := a.call("GET", "/douyin/proxy?douyin_id=123456", nil).ok(t); d["proxy_ip"] != nil || len(d) != 1 {
		t.Fatalf("proxy %v", d)
	}
	a.call("PUT", "/douyin/proxy", map[string]any{"douyin_id": "123456"}).fail(t, 400, "缺少必要参数")
	for _, bad := range []any{"192.168.1.1", "192.168.1.1:99999", "ftp://192.168.1.1:21", 8080} {
		a.call("PUT", "/douyin/proxy", map[string]any{"douyin_id": "123456", "proxy_ip": bad}).fail(t, 400, "无效的代理IP,格式为 host:port,可带 http:// 或 socks5:// 及用户名密码")
	}
	a.call("PUT", "/douyin/proxy", map[string]any{"douyin_id": "123456", "proxy_ip": "192.168.1.1:8080"}).ok(t)
	if d := a.call("GET", "/douyin/proxy?douyin_id=123456", nil).ok(t); d["proxy_ip"] != "192.168.1.1:8080" {
		t.Fatalf("proxy %v", d)
	}
	a.call("PUT", "/douyin/proxy", map[string]any{"douyin_id": "123456", "proxy_ip": "socks5://user:pw@10.0.0.2:1080"}).ok(t)
	if d := a.call("GET", "/douyin/proxy?douyin_id=123456", nil).ok(t); d["proxy_ip"] != "socks5://10.0.0.2:1080" {
		t.Fatalf("proxy %v", d)
	}
	a.call("PUT", "/douyin/proxy", map[string]any{"douyin_id": "123456", "proxy_ip": nil}).ok(t)
	if d := a.call("GET", "/douyin/proxy?douyin_id=123456", nil).ok(t); d["proxy_ip"] != nil {
		t.Fatalf("proxy after clearing %v", d)
	}
}

func TestLiveInternalErrors(t *testing.T) {
	a := setupLive(t, func(c *live.Config) { c.PushDomain, c.PushKey = "", "" })
	a.login()
	a.call("POST", "/douyin/live/prepare-tencent", map[string]string{"douyin_id": "123456"}).fail(t, 500, "服务器内部错误")
	a.call("POST", "/douyin/live/create", map[string]string{"douyin_id": "123456", "title": "t", "cover_uri": "c"}).fail(t, 500, "服务器内部错误")

	// Without the live service the routes answer in their envelope too.
	dsn := testenv.Postgres(t)
	if _, err := postgres.Migrate(context.Background(), dsn); err != nil {
		t.Fatal(err)
	}
	pool, _ := postgres.Open(context.Background(), dsn)
	defer pool.Close()
	files, _ := filestore.New(t.TempDir())
	srv := httptest.NewServer(server.New(postgres.NewStore(pool, nil), nil, files, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Config{}))
	defer srv.Close()
	b := &liveAPI{t: t, srv: srv}
	b.call("GET", "/auth/verify-token", nil).fail(t, 500, "直播功能未启用")
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// Proxies may not point at the server's own network unless the operator
// allows it, and a stored proxy that cannot connect is a 502 naming the
// proxy — never a 500, never what answered behind it.
func TestLiveProxyRefusalsAndFailures(t *testing.T) {
	a := setupLive(t, func(c *live.Config) { c.AllowPrivateProxy = false })
	a.login()
	for _, p := range []string{"127.0.0.1:8080", "localhost:3128", "socks5://10.0.0.2:1080", "169.254.169.254:80", "[::1]:8080"} {
		a.call("PUT", "/douyin/proxy", map[string]any{"douyin_id": "123456", "proxy_ip": p}).fail(t, 400, live.ErrPrivateProxy.Msg)
	}
	a.call("POST", "/douyin/query", map[string]any{"douyin_id": "1\x002"}).fail(t, 400, "抖音号不存在")

	b := setupLive(t, nil) // private allowed: store a proxy nobody listens on
	b.login()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := ln.Addr().String()
	ln.Close()
	b.call("PUT", "/douyin/proxy", map[string]any{"douyin_id": "123456", "proxy_ip": "user:secret@" + dead}).ok(t)
	for _, r := range []liveResp{
		b.call("POST", "/douyin/query", map[string]any{"douyin_id": "123456"}),
		b.call("GET", "/douyin/user/info?douyin_id=123456", nil),
		b.call("GET", "/douyin/live/create-info?douyin_id=123456", nil),
	} {
		r.fail(t, 502, "代理连接失败: "+dead)
		if strings.Contains(r.raw, "secret") || strings.Contains(r.raw, "refused") {
			t.Fatalf("proxy failure reveals too much: %s", r.raw)
		}
	}
}
