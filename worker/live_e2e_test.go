package main

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"fanout/api/server"
	"fanout/pkg/config"
	"fanout/pkg/filestore"
	"fanout/pkg/live"
	"fanout/pkg/live/tencent/tencenttest"
	"fanout/pkg/live/webcast/webcasttest"
	"fanout/pkg/task"
)

// TestLiveEndToEnd runs the live assistant across processes: the API (in
// this process) opens a room, worker processes keep it alive — also after
// one is SIGKILLed and another starts — and a schedule stops it and starts
// it again on time.
func TestLiveEndToEnd(t *testing.T) {
	s := newStack(t)
	douyin := webcasttest.NewServer(t, webcasttest.Options{})
	tc := tencenttest.NewServer(t)
	for k, v := range map[string]string{
		"FANOUT_LIVE_WEBCAST_URL": douyin.URL(), "FANOUT_LIVE_PASSPORT_URL": douyin.URL(), "FANOUT_LIVE_WEB_URL": douyin.URL(),
		"FANOUT_LIVE_SIGNER_URL": webcasttest.SignerURL(douyin.URL()), "FANOUT_LIVE_PING_INTERVAL": "300ms", "FANOUT_LIVE_QR_POLL": "50ms",
		"FANOUT_TENCENT_API_URL": tc.URL(), "FANOUT_TENCENT_SECRET_ID": tc.SecretID, "FANOUT_TENCENT_SECRET_KEY": tc.SecretKey,
		"FANOUT_TENCENT_PUSH_DOMAIN": "push.fanout.test", "FANOUT_TENCENT_PUSH_KEY": "k", "FANOUT_TENCENT_PLAY_DOMAIN": "play.fanout.test",
	} {
		s.env[k] = v
	}
	var cfg Config
	if err := config.Load(&cfg, s.getenv); err != nil {
		t.Fatal(err)
	}
	if cfg.Live.WebcastURL != douyin.URL() || cfg.Live.PingInterval != 300*time.Millisecond || cfg.Live.TencentSecretKey != tc.SecretKey {
		t.Fatalf("worker config did not read the live variables: %+v", cfg.Live)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := live.New(s.store, s.redis, log, cfg.Live)
	t.Cleanup(func() { svc.Close() })
	queue := task.NewQueue(s.redis)
	t.Cleanup(func() { queue.Close() })
	files, _ := filestore.New(t.TempDir())
	s.api = httptest.NewServer(server.New(s.store, queue, files, log, server.Config{Live: svc}))
	t.Cleanup(s.api.Close)

	call := func(method, path string, body any) map[string]any {
		t.Helper()
		var out map[string]any
		if st := s.call(method, path, body, &out); st != 200 || out["success"] != true {
			t.Fatalf("%s %s: %d %v", method, path, st, out)
		}
		if d, ok := out["data"].(map[string]any); ok {
			return d
		}
		return out
	}
	wait := func(d time.Duration, what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(d)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("waited %s for %s", d, what)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	kill := s.startChildWorker()
	lg := call("POST", "/douyin/login", map[string]any{})
	var st map[string]any
	wait(30*time.Second, "the QR code", func() bool {
		st = call("GET", "/douyin/login?login_id="+lg["login_id"].(string), nil)
		return st["status"] == "qrcode"
	})
	if err := douyin.Scan("123456", true); err != nil {
		t.Fatal(err)
	}
	wait(10*time.Second, "the login", func() bool {
		st = call("GET", "/douyin/login?login_id="+lg["login_id"].(string), nil)
		return st["status"] == "succeeded"
	})

	info := call("GET", "/douyin/live/create-info?douyin_id=123456", nil)
	call("POST", "/douyin/live/prepare-tencent", map[string]any{"douyin_id": "123456"})
	opened := call("POST", "/douyin/live/create", map[string]any{"douyin_id": "123456", "title": "端到端直播",
		"cover_uri": info["cover"].(map[string]any)["uri"]})
	roomID := opened["open_room_id"].(string)
	pings := func() int { r, _ := douyin.Room(roomID); return r.Pings }
	wait(10*time.Second, "keep-alive pings from the first worker", func() bool { return pings() >= 3 })

	kill()
	n := pings()
	time.Sleep(time.Second)
	if pings() > n+1 {
		t.Fatalf("pings went on after the worker was killed: %d -> %d", n, pings())
	}
	s.startChildWorker()
	wait(30*time.Second, "keep-alive pings from the restarted worker", func() bool { return pings() >= n+3 })
	if b := call("GET", "/douyin/status/live?douyin_id=123456", nil); b["is_live"] != true || b["open_room_id"] != roomID {
		t.Fatalf("status %v", b)
	}

	// A scheduled stop closes the room on time.
	stopAt := time.Now().Add(2 * time.Second).Truncate(time.Second).Add(time.Second)
	call("PUT", "/douyin/schedule", map[string]any{"douyin_id": "123456", "start_enabled": false, "start_time": nil,
		"stop_enabled": true, "stop_time": stopAt.Unix()})
	wait(10*time.Second, "the scheduled stop", func() bool { r, _ := douyin.Room(roomID); return r.Status == 4 })
	if late := time.Since(stopAt); late < 0 || late > 2*time.Second {
		t.Fatalf("stopped %s after the scheduled time", late)
	}
	wait(5*time.Second, "status to show not live", func() bool {
		return call("GET", "/douyin/status/live?douyin_id=123456", nil)["is_live"] == false
	})
	if tasks := tc.Tasks(); len(tasks) != 1 || !tasks[0].Deleted {
		t.Fatalf("relay tasks %+v", tasks)
	}

	// A scheduled start opens a room with the last title.
	startAt := time.Now().Add(2 * time.Second).Truncate(time.Second).Add(time.Second)
	call("PUT", "/douyin/schedule", map[string]any{"douyin_id": "123456", "start_enabled": true, "start_time": startAt.Unix(),
		"stop_enabled": false, "stop_time": nil})
	wait(10*time.Second, "the scheduled start", func() bool { return len(douyin.Rooms()) == 2 })
	if late := time.Since(startAt); late < 0 || late > 2*time.Second {
		t.Fatalf("started %s after the scheduled time", late)
	}
	if r := douyin.Rooms()[1]; r.Title != "端到端直播" || !strings.HasPrefix(r.PushURL, "rtmp://") {
		t.Fatalf("auto-started room %+v", r)
	}
	wait(5*time.Second, "the fired start to turn itself off", func() bool {
		sc := call("GET", "/douyin/schedule?douyin_id=123456", nil)
		return sc["scheduled_start_enabled"] == false && sc["scheduled_start_time"] == float64(startAt.Unix())
	})
}
