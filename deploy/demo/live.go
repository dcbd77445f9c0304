package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"
)

// liveFlow walks the Douyin live assistant of seed 001 against the fakes,
// the way its frontend would: the companion QR login of 抖音号 123456 (the
// demo plays the phone), query, create-info, prepare-tencent, create,
// status showing live, then a scheduled stop a few seconds later that
// closes the room — checked on the fake Douyin and the fake Tencent API.
// It appends its rows and returns ok false when a step failed.
func (d *demo) liveFlow(ctx context.Context, rows []row, ok bool) ([]row, bool) {
	r, err := d.live(ctx, strings.TrimRight(os.Getenv("FAKE_WEBCAST_URL"), "/"), strings.TrimRight(os.Getenv("FAKE_TENCENT_URL"), "/"))
	rows = append(rows, r...)
	if err != nil {
		fmt.Fprintf(os.Stderr, "fanout-demo: live: %v\n", err)
		return rows, false
	}
	return rows, ok
}

// liveResp is the seed's envelope.
type liveResp struct {
	Success    bool           `json:"success"`
	Data       map[string]any `json:"data"`
	Detail     string         `json:"detail"`
	IsLive     bool           `json:"is_live"`
	OpenRoomID *string        `json:"open_room_id"`
}

func (d *demo) liveCall(ctx context.Context, method, path string, body any) (liveResp, error) {
	var out liveResp
	if err := d.call(ctx, method, path, body, &out); err != nil {
		return out, err
	}
	if !out.Success {
		return out, fmt.Errorf("%s %s: %s", method, path, out.Detail)
	}
	return out, nil
}

func (d *demo) live(ctx context.Context, fakeWebcast, fakeTencent string) ([]row, error) {
	const p, id = "douyin-live", "123456"
	var rows []row
	add := func(step, state, detail string, start time.Time) {
		rows = append(rows, row{Platform: p, Step: step, State: state, Detail: detail, Took: time.Since(start)})
	}
	if fakeWebcast == "" || fakeTencent == "" {
		return rows, fmt.Errorf("FAKE_WEBCAST_URL and FAKE_TENCENT_URL must be set")
	}
	start := time.Now()
	if _, err := d.liveCall(ctx, "GET", "/auth/verify-token", nil); err != nil {
		return rows, err
	}
	add("verify-token", "ok", "Bearer token accepted", start)

	start = time.Now()
	lg, err := d.liveCall(ctx, "POST", "/douyin/login", map[string]any{})
	if err != nil {
		return rows, err
	}
	loginID, _ := lg.Data["login_id"].(string)
	scanned := false
	for {
		st, err := d.liveCall(ctx, "GET", "/douyin/login?login_id="+loginID, nil)
		if err != nil {
			return rows, err
		}
		status, _ := st.Data["status"].(string)
		if status == "qrcode" && !scanned {
			fmt.Printf("[%s] companion QR code shown; the demo scans it with the simulated phone\n", p)
			if err := d.post(ctx, fakeWebcast+"/__fake__/scan?douyin_id="+id); err != nil {
				return rows, err
			}
			scanned = true
		}
		if status == "succeeded" {
			add("login (QR)", "succeeded", fmt.Sprintf("抖音号 %v", st.Data["douyin_id"]), start)
			break
		}
		if status == "failed" || status == "expired" {
			add("login (QR)", status, fmt.Sprint(st.Data["message"]), start)
			return rows, fmt.Errorf("companion login %s", status)
		}
		select {
		case <-ctx.Done():
			return rows, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}

	start = time.Now()
	q, err := d.liveCall(ctx, "POST", "/douyin/query", map[string]string{"douyin_id": id})
	if err != nil {
		return rows, err
	}
	add("query", "ok", fmt.Sprintf("%v / %v", q.Data["nickname"], q.Data["signature"]), start)

	start = time.Now()
	info, err := d.liveCall(ctx, "GET", "/douyin/live/create-info?douyin_id="+id, nil)
	if err != nil {
		return rows, err
	}
	cover, _ := info.Data["cover"].(map[string]any)
	coverURI, _ := cover["uri"].(string)
	add("create-info", "ok", fmt.Sprintf("title %q", info.Data["title"]), start)

	start = time.Now()
	prep, err := d.liveCall(ctx, "POST", "/douyin/live/prepare-tencent", map[string]string{"douyin_id": id})
	if err != nil {
		return rows, err
	}
	push, _ := prep.Data["push_url_a"].(string)
	add("prepare-tencent", "ok", clip(push, 60), start)

	start = time.Now()
	title := "Fanout 演示直播"
	created, err := d.liveCall(ctx, "POST", "/douyin/live/create", map[string]string{"douyin_id": id, "title": title, "cover_uri": coverURI})
	if err != nil {
		return rows, err
	}
	room, _ := created.Data["open_room_id"].(string)
	add("create", fmt.Sprint(created.Data["tencent_task_status"]), fmt.Sprintf("room %s, mode %v", room, created.Data["mode"]), start)

	start = time.Now()
	st, err := d.liveCall(ctx, "GET", "/douyin/status/live?douyin_id="+id, nil)
	if err != nil {
		return rows, err
	}
	if !st.IsLive || st.OpenRoomID == nil || *st.OpenRoomID != room {
		add("status", "MISMATCH", fmt.Sprintf("is_live %v", st.IsLive), start)
		return rows, fmt.Errorf("status does not show room %s live", room)
	}
	add("status", "live", "open_room_id "+room, start)

	start = time.Now()
	// Long enough for a keep-alive ping from the worker (every 5s) too.
	stopAt := time.Now().Add(5 * time.Second).Truncate(time.Second).Add(time.Second)
	if _, err := d.liveCall(ctx, "PUT", "/douyin/schedule", map[string]any{"douyin_id": id, "start_enabled": false, "start_time": nil,
		"stop_enabled": true, "stop_time": stopAt.Unix()}); err != nil {
		return rows, err
	}
	fmt.Printf("[%s] scheduled stop at %s\n", p, stopAt.Format("15:04:05"))
	for {
		st, err = d.liveCall(ctx, "GET", "/douyin/status/live?douyin_id="+id, nil)
		if err != nil {
			return rows, err
		}
		if !st.IsLive {
			break
		}
		if time.Now().After(stopAt.Add(20 * time.Second)) {
			add("scheduled stop", "MISSED", "still live 20s after the stop time", start)
			return rows, fmt.Errorf("the scheduled stop did not close the room")
		}
		select {
		case <-ctx.Done():
			return rows, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
	add("scheduled stop", "closed", fmt.Sprintf("%.1fs after the stop time", time.Since(stopAt).Seconds()), start)

	// What the fakes saw: pings, the room finished, the relay created for
	// Douyin's ingest and deleted.
	var state struct {
		Rooms []struct {
			RoomID string `json:"room_id"`
			Status int    `json:"status"`
			Pings  int    `json:"pings"`
			Title  string `json:"title"`
		} `json:"rooms"`
	}
	if err := d.getJSON(ctx, fakeWebcast+"/__fake__/state", &state); err != nil {
		return rows, err
	}
	var tasks []struct {
		ToURL   string `json:"to_url"`
		Deleted bool   `json:"deleted"`
	}
	if err := d.getJSON(ctx, fakeTencent+"/__fake__/tasks", &tasks); err != nil {
		return rows, err
	}
	okRoom := false
	for _, r := range state.Rooms {
		if r.RoomID == room && r.Status == 4 && r.Pings >= 1 && r.Title == title {
			okRoom = true
			add("on Douyin (fake)", "finished", fmt.Sprintf("%d pings (status 2), title %q", r.Pings, r.Title), time.Now())
		}
	}
	okRelay := len(tasks) > 0 && tasks[len(tasks)-1].Deleted && strings.HasPrefix(tasks[len(tasks)-1].ToURL, "rtmp://")
	if okRelay {
		add("on Tencent (fake)", "deleted", "relay to "+clip(tasks[len(tasks)-1].ToURL, 50), time.Now())
	}
	if !okRoom || !okRelay {
		return rows, fmt.Errorf("the fakes disagree: room finished with pings %v, relay created and deleted %v", okRoom, okRelay)
	}
	return rows, nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
