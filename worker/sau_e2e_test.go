package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"fanout/pkg/job"
	"fanout/pkg/testenv"
)

// The original tool's web API end to end: its SSE /login against the fake
// Douyin site with a real worker and Chromium, in both formats, then the
// frontend's account refresh and a /postVideo publish.

// sauStream is an open legacy SSE stream; frames arrive on a channel that
// closes when the server ends the stream.
type sauStream struct {
	frames <-chan string
	taskID string
	cancel context.CancelFunc
}

func (s *stack) sauLogin(query string) sauStream {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	s.t.Cleanup(cancel)
	// No Authorization header, as an EventSource: the token rides in the query.
	req, _ := http.NewRequestWithContext(ctx, "GET", s.api.URL+"/login?"+query+"&token="+url.QueryEscape(s.token), nil)
	req.Header.Set("Origin", "http://localhost:5173")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream" || res.Header.Get("Access-Control-Allow-Origin") == "" {
		res.Body.Close()
		s.t.Fatalf("/login: %d %v", res.StatusCode, res.Header)
	}
	frames := make(chan string, 16)
	go func() {
		defer close(frames)
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				frames <- d
			}
		}
	}()
	return sauStream{frames: frames, taskID: res.Header.Get("X-Task-Id"), cancel: cancel}
}

// next returns the next frame, failing after timeout or at the stream's end.
func (st sauStream) next(t *testing.T, timeout time.Duration, what string) string {
	t.Helper()
	select {
	case f, ok := <-st.frames:
		if !ok {
			t.Fatalf("stream ended while waiting for %s", what)
		}
		return f
	case <-time.After(timeout):
		t.Fatalf("no frame in %s while waiting for %s", timeout, what)
	}
	return ""
}

// ends checks the server closes the stream within timeout, with no more frames.
func (st sauStream) ends(t *testing.T, timeout time.Duration) {
	t.Helper()
	select {
	case f, ok := <-st.frames:
		if ok {
			t.Fatalf("unexpected frame after the last one: %q", f)
		}
	case <-time.After(timeout):
		t.Fatalf("stream still open after %s", timeout)
	}
}

// legacy calls a legacy route with the header token and decodes the envelope.
func (s *stack) legacy(method, path string, body any, ct string) (int, json.RawMessage, string) {
	s.t.Helper()
	var r *bytes.Reader
	switch b := body.(type) {
	case nil:
		r = bytes.NewReader(nil)
	case []byte:
		r = bytes.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		r, ct = bytes.NewReader(j), "application/json"
	}
	req, _ := http.NewRequest(method, s.api.URL+path, r)
	req.Header.Set("Authorization", "Bearer "+s.token)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	res, err := s.client.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	var env struct {
		Code int             `json:"code"`
		Msg  *string         `json:"msg"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.NewDecoder(res.Body).Decode(&env); err != nil || env.Code != res.StatusCode {
		s.t.Fatalf("%s %s: %d, envelope %+v (%v)", method, path, res.StatusCode, env, err)
	}
	msg := ""
	if env.Msg != nil {
		msg = *env.Msg
	}
	return env.Code, env.Data, msg
}

func TestSauLoginPlainThenPublish(t *testing.T) {
	s := newStack(t)
	s.startWorker()

	st := s.sauLogin("type=3&id=" + url.QueryEscape("抖音创作者"))
	qr := st.next(t, 45*time.Second, "the QR code")
	if len(qr) <= 100 || !strings.HasPrefix(qr, "data:image/") {
		t.Fatalf("first frame is not a QR image src (%d chars): %.80q", len(qr), qr)
	}
	if err := s.site.Scan(true); err != nil {
		t.Fatal(err)
	}
	if f := st.next(t, 30*time.Second, "the result"); f != "200" {
		t.Fatalf("result frame %q, want 200", f)
	}
	st.ends(t, 10*time.Second) // after a short linger, so the frontend closes first

	// The frontend then refreshes through /getValidAccounts.
	code, data, _ := s.legacy("GET", "/getValidAccounts", nil, "")
	var rows [][]any
	json.Unmarshal(data, &rows)
	if code != 200 || len(rows) != 1 || rows[0][1] != float64(3) || rows[0][3] != "抖音创作者" || rows[0][4] != float64(1) ||
		!strings.HasSuffix(rows[0][2].(string), ".json") {
		t.Fatalf("getValidAccounts after login: %d %s", code, data)
	}
	accountFile := rows[0][2].(string)

	// Publish the way the publish center does: /upload, then /postVideo.
	video, err := os.ReadFile(testenv.Testdata("sample.mp4"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	w, _ := mw.CreateFormFile("file", "sample.mp4")
	w.Write(video)
	mw.Close()
	code, data, _ = s.legacy("POST", "/upload", buf.Bytes(), mw.FormDataContentType())
	var path string
	if json.Unmarshal(data, &path); code != 200 || path == "" {
		t.Fatalf("/upload: %d %s", code, data)
	}
	code, data, msg := s.legacy("POST", "/postVideo", map[string]any{"type": 3, "title": "旧前端发布", "tags": []string{"测试"},
		"fileList": []string{path}, "accountList": []string{accountFile}, "enableTimer": 0, "videosPerDay": 1,
		"dailyTimes": []string{"10:00"}, "startDays": 0, "category": 0, "productLink": "", "productTitle": "", "isDraft": false}, "")
	var out struct {
		TaskIDs []string `json:"task_ids"`
	}
	if json.Unmarshal(data, &out); code != 200 || msg != "发布任务已提交" || len(out.TaskIDs) != 1 {
		t.Fatalf("/postVideo: %d %q %s", code, msg, data)
	}
	tk := s.waitTask(out.TaskIDs[0], 90*time.Second, "publish to end", terminal)
	if tk.State != job.StateSucceeded || tk.Step != "published" {
		t.Fatalf("publish ended %s at %s: %+v", tk.State, tk.Step, tk.Error)
	}
	if posts := s.site.Published(); len(posts) != 1 || posts[0].Title != "旧前端发布" {
		t.Fatalf("fake recorded %+v", posts)
	}
}

func TestSauLoginJSONEventsAndExpiry(t *testing.T) {
	s := newStack(t)
	s.startWorker()

	type event struct {
		Status    string `json:"status"`
		QRCodeURL string `json:"qrcodeUrl"`
		Message   string `json:"message"`
	}
	read := func(st sauStream, timeout time.Duration, what string) event {
		t.Helper()
		f := st.next(t, timeout, what)
		var e event
		if err := json.Unmarshal([]byte(f), &e); err != nil {
			t.Fatalf("frame %q is not JSON: %v", f, err)
		}
		return e
	}

	st := s.sauLogin("type=3&id=json-user&format=json")
	if e := read(st, 45*time.Second, "qrcode"); e.Status != "qrcode" || !strings.HasPrefix(e.QRCodeURL, "data:image/") {
		t.Fatalf("first event %+v", e)
	}
	if err := s.site.Scan(false); err != nil {
		t.Fatal(err)
	}
	if e := read(st, 30*time.Second, "scanned"); e.Status != "scanned" {
		t.Fatalf("second event %+v", e)
	}
	if err := s.site.Scan(true); err != nil {
		t.Fatal(err)
	}
	if e := read(st, 30*time.Second, "success"); e.Status != "success" {
		t.Fatalf("third event %+v", e)
	}
	st.ends(t, 10*time.Second)

	// An expired QR code ends the stream with an error and cancels the login,
	// so its browser context is freed.
	st = s.sauLogin("type=3&id=expiring&format=json")
	if e := read(st, 45*time.Second, "qrcode"); e.Status != "qrcode" {
		t.Fatalf("first event %+v", e)
	}
	s.site.ExpireQR()
	if e := read(st, 30*time.Second, "error"); e.Status != "error" || !strings.Contains(e.Message, "过期") {
		t.Fatalf("after expiry %+v", e)
	}
	st.ends(t, 10*time.Second)
	if tk := s.waitTask(st.taskID, 30*time.Second, "the login to end", terminal); tk.State != job.StateCanceled {
		t.Fatalf("expired login ended %s %+v", tk.State, tk.Error)
	}
}
