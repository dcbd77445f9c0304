// Command fanout-demo walks a running Fanout through the whole flow against
// the fake platform sites, the way a user would over the API: create an
// account, log it in by QR code (playing the phone through the fake's scan
// endpoint), upload a video, publish it, follow the task to its end, and
// print a table. A webhook receiver on loopback checks the signed
// task.finished of every publish, and the API's and worker's metrics are
// read before and after. It exits 0 only if every step succeeded.
//
// It reads FANOUT_URL, FANOUT_TOKEN and, per platform, FAKE_<PLATFORM>_URL
// (e.g. FAKE_DOUYIN_URL) from the environment (make up writes them to
// .run/env).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"
)

func main() {
	video := flag.String("video", "pkg/testenv/testdata/sample.mp4", "the video to publish")
	timeout := flag.Duration("timeout", 5*time.Minute, "give up after this long")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	d := &demo{base: strings.TrimRight(os.Getenv("FANOUT_URL"), "/"), token: os.Getenv("FANOUT_TOKEN"), http: &http.Client{Timeout: time.Minute},
		accounts: map[string]string{}, files: map[string]string{}}
	if d.base == "" || d.token == "" {
		fmt.Fprintln(os.Stderr, "fanout-demo: FANOUT_URL and FANOUT_TOKEN must be set (source .run/env after make up)")
		os.Exit(2)
	}
	platforms := []string{"douyin", "kuaishou", "xiaohongshu", "channels", "tiktok", "bilibili", "youtube", "baijiahao", "weibo"}
	var rows []row
	ok := true
	// A webhook receiver and the metrics, read before and after: the demo
	// shows both moving as a monitoring system would see them.
	hook, err := d.startReceiver(ctx)
	if err != nil {
		fmt.Fprintf(os.Stderr, "fanout-demo: %v\n", err)
		os.Exit(1)
	}
	defer hook.srv.Close()
	gauges := d.gauges(os.Getenv("FANOUT_WORKER_METRICS_URL"))
	before, err := d.readGauges(ctx, gauges)
	if err != nil {
		fmt.Fprintf(os.Stderr, "fanout-demo: %v\n", err)
		os.Exit(1)
	}
	for _, p := range platforms {
		fake := os.Getenv("FAKE_" + strings.ToUpper(p) + "_URL")
		if fake == "" {
			fmt.Fprintf(os.Stderr, "fanout-demo: FAKE_%s_URL is not set\n", strings.ToUpper(p))
			os.Exit(2)
		}
		r, err := d.platform(ctx, p, strings.TrimRight(fake, "/"), *video)
		rows = append(rows, r...)
		if err != nil {
			fmt.Fprintf(os.Stderr, "fanout-demo: %s: %v\n", p, err)
			ok = false
		}
	}
	if acc, f := d.accounts["kuaishou"], d.files["kuaishou"]; acc != "" && f != "" {
		r, err := d.mcpFlow(ctx, "kuaishou", acc, f, strings.TrimRight(os.Getenv("FAKE_KUAISHOU_URL"), "/"))
		rows = append(rows, r...)
		if err != nil {
			fmt.Fprintf(os.Stderr, "fanout-demo: %v\n", err)
			ok = false
		}
	}
	for _, p := range []string{"douyin", "kuaishou", "xiaohongshu"} {
		if d.accounts[p] == "" {
			continue
		}
		r, err := d.imageNote(ctx, p, strings.TrimRight(os.Getenv("FAKE_"+strings.ToUpper(p)+"_URL"), "/"), filepath.Dir(*video))
		rows = append(rows, r...)
		if err != nil {
			fmt.Fprintf(os.Stderr, "fanout-demo: %s image note: %v\n", p, err)
			ok = false
		}
	}
	for _, id := range d.published {
		start := time.Now()
		state, err := hook.await(ctx, id)
		rows = append(rows, row{Platform: "webhook", Step: "task.finished", Task: id[:8], State: state, Detail: "signature verified", Took: time.Since(start)})
		if err != nil {
			fmt.Fprintf(os.Stderr, "fanout-demo: webhook: %v\n", err)
			rows[len(rows)-1].State, rows[len(rows)-1].Detail, ok = "MISSING", err.Error(), false
		}
	}
	if after, err := d.readGauges(ctx, gauges); err != nil {
		fmt.Fprintf(os.Stderr, "fanout-demo: %v\n", err)
		ok = false
	} else {
		for i, g := range gauges {
			state := "moved"
			if after[i] <= before[i] {
				state, ok = "STILL", false
			}
			rows = append(rows, row{Platform: "metrics", Step: g.name, State: state, Detail: fmt.Sprintf("%s %g → %g", g.family, before[i], after[i])})
		}
	}
	rows, ok = d.liveFlow(ctx, rows, ok)
	printTable(os.Stdout, rows)
	if !ok {
		os.Exit(1)
	}
	fmt.Println("all steps succeeded")
}

// platformNeedsCover: the sites that publish only with a cover the user
// gives (platform.Capabilities.CoverRequired).
var platformNeedsCover = map[string]bool{"weibo": true}

type demo struct {
	base, token string
	http        *http.Client
	published   []string // publish task ids, for the webhook check
	// accounts and files by platform, logged in and uploaded, for the MCP
	// step
	accounts, files map[string]string
}

// row is one line of the closing table.
type row struct {
	Platform, Step, Task, State, Detail string
	Took                                time.Duration
}

func (d *demo) platform(ctx context.Context, p, fake, video string) ([]row, error) {
	var rows []row
	var acc struct{ ID, Status string }
	name := fmt.Sprintf("demo-%s-%d", p, time.Now().Unix())
	if err := d.call(ctx, "POST", "/api/v1/accounts", map[string]string{"platform": p, "name": name}, &acc); err != nil {
		return rows, fmt.Errorf("create account: %w", err)
	}
	rows = append(rows, row{Platform: p, Step: "account", Task: acc.ID[:8], State: "created", Detail: name})

	r, err := d.login(ctx, p, fake, acc.ID)
	rows = append(rows, r)
	if err != nil {
		return rows, err
	}

	start := time.Now()
	f, err := d.upload(ctx, video)
	if err != nil {
		return rows, fmt.Errorf("upload: %w", err)
	}
	d.accounts[p], d.files[p] = acc.ID, f.ID
	rows = append(rows, row{Platform: p, Step: "upload", Task: f.ID[:8], State: "stored", Detail: fmt.Sprintf("%s %d B sha256 %s…", f.Filename, f.SizeBytes, f.SHA256[:12]), Took: time.Since(start)})

	// On Douyin the publish meets the site's SMS check (the fake's
	// require_verification knob): the task waits at step
	// verification_required until a person answers it over the API.
	sms := p == "douyin"
	if sms {
		if err := d.postJSON(ctx, fake+"/__fake__/knobs", map[string]string{"require_verification": "246810"}); err != nil {
			return rows, fmt.Errorf("arm the SMS check: %w", err)
		}
	}
	start = time.Now()
	var pub struct {
		TaskIDs []string `json:"task_ids"`
	}
	title := "Fanout 演示视频"
	body := map[string]any{"file_ids": []string{f.ID}, "account_ids": []string{acc.ID},
		"title": title, "description": "由 Fanout 自动发布", "tags": []string{"fanout", "演示"}}
	if platformNeedsCover[p] {
		c, err := d.uploadKind(ctx, filepath.Join(filepath.Dir(video), "cover.png"), "cover")
		if err != nil {
			return rows, fmt.Errorf("upload the cover: %w", err)
		}
		body["cover_file_id"] = c.ID
	}
	if err := d.call(ctx, "POST", "/api/v1/publish", body, &pub); err != nil {
		return rows, fmt.Errorf("publish: %w", err)
	}
	tk, answered, arows, err := d.followPublish(ctx, p, fake, pub.TaskIDs[0])
	rows = append(rows, arows...)
	d.published = append(d.published, pub.TaskIDs[0])
	rows = append(rows, row{Platform: p, Step: "publish", Task: pub.TaskIDs[0][:8], State: tk.State, Detail: detail(tk), Took: time.Since(start)})
	if err != nil || tk.State != "succeeded" {
		return rows, fmt.Errorf("publish: %v %s", err, detail(tk))
	}
	if sms && !answered {
		return rows, errors.New("publish: the SMS check was armed but the task never asked for it")
	}

	var posts []struct {
		Title       string `json:"title"`
		VideoSHA256 string `json:"video_sha256"`
	}
	if err := d.getJSON(ctx, fake+"/__fake__/published", &posts); err != nil {
		return rows, fmt.Errorf("read the fake's posts: %w", err)
	}
	n := 0
	for _, post := range posts {
		if post.Title == title && post.VideoSHA256 == f.SHA256 {
			n++
		}
	}
	state := "verified"
	if n != 1 {
		state = "MISMATCH"
	}
	rows = append(rows, row{Platform: p, Step: "on platform", State: state, Detail: fmt.Sprintf("%d post(s) with this title and sha256", n)})
	if n != 1 {
		return rows, fmt.Errorf("the fake site holds %d matching posts, want 1", n)
	}
	return rows, nil
}

// login signs the account in: by QR code, the demo playing the phone
// through the fake's scan endpoint, or, where the site's login cannot be
// automated (YouTube's Google sign-in), by importing the cookies of a
// logged-in browser as a person would.
func (d *demo) login(ctx context.Context, p, fake, accID string) (row, error) {
	start := time.Now()
	if p == "youtube" {
		var cookies []map[string]any
		if err := d.postOut(ctx, fake+"/__fake__/session", &cookies); err != nil {
			return row{Platform: p, Step: "cookie import", State: "FAILED", Detail: err.Error()}, fmt.Errorf("read a logged-in browser's cookies: %w", err)
		}
		if err := d.call(ctx, "PUT", "/api/v1/accounts/"+accID+"/cookies", cookies, nil); err != nil {
			return row{Platform: p, Step: "cookie import", State: "FAILED", Detail: err.Error()}, fmt.Errorf("import cookies: %w", err)
		}
		fmt.Printf("[%s] Google sign-in cannot be automated: the demo imports a logged-in browser's %d cookies\n", p, len(cookies))
		return row{Platform: p, Step: "cookie import", Task: accID[:8], State: "imported", Detail: fmt.Sprintf("%d cookies", len(cookies)), Took: time.Since(start)}, nil
	}
	var lt struct {
		TaskID string `json:"task_id"`
	}
	if err := d.call(ctx, "POST", "/api/v1/accounts/"+accID+"/login", nil, &lt); err != nil {
		return row{Platform: p, Step: "login (QR)", State: "FAILED", Detail: err.Error()}, fmt.Errorf("start login: %w", err)
	}
	fmt.Printf("[%s] login task %s queued; waiting for the QR code\n", p, lt.TaskID)
	scanned := false
	tk, err := d.follow(ctx, p, lt.TaskID, func(t task) error {
		var res struct{ Phase, QRCode string }
		_ = json.Unmarshal(t.Result, &res)
		if res.Phase == "qrcode" && strings.HasPrefix(res.QRCode, "data:image/") && !scanned {
			fmt.Printf("[%s] QR code shown (%d bytes data URL); the demo scans it with the simulated phone\n", p, len(res.QRCode))
			scanned = true
			return d.post(ctx, fake+"/__fake__/scan")
		}
		return nil
	})
	r := row{Platform: p, Step: "login (QR)", Task: lt.TaskID[:8], State: tk.State, Detail: detail(tk), Took: time.Since(start)}
	if err != nil || tk.State != "succeeded" {
		return r, fmt.Errorf("login: %v %s", err, detail(tk))
	}
	return r, nil
}

type task struct {
	ID       string          `json:"id"`
	State    string          `json:"state"`
	Step     string          `json:"step"`
	Progress int             `json:"progress"`
	Attempts int             `json:"attempts"`
	Result   json.RawMessage `json:"result"`
	Error    *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func detail(t task) string {
	if t.Error != nil && t.State != "succeeded" {
		return t.Error.Code + ": " + t.Error.Message
	}
	return fmt.Sprintf("attempts %d, step %s", t.Attempts, t.Step)
}

// follow polls a task until it ends, calling each for every poll.
func (d *demo) follow(ctx context.Context, p, id string, each func(task) error) (task, error) {
	var t task
	for {
		if err := d.call(ctx, "GET", "/api/v1/tasks/"+id, nil, &t); err != nil {
			return t, err
		}
		if err := each(t); err != nil {
			return t, err
		}
		switch t.State {
		case "succeeded", "failed", "canceled":
			return t, nil
		}
		select {
		case <-ctx.Done():
			return t, fmt.Errorf("task %s still %s: %w", id, t.State, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func (d *demo) call(ctx context.Context, method, path string, body, out any) error {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, d.base+path, r)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+d.token)
	req.Header.Set("Content-Type", "application/json")
	return d.do(req, out)
}

func (d *demo) do(req *http.Request, out any) error {
	res, err := d.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %d %s", req.Method, req.URL.Path, res.StatusCode, raw)
	}
	if out != nil {
		return json.Unmarshal(raw, out)
	}
	return nil
}

func (d *demo) post(ctx context.Context, url string) error {
	req, err := http.NewRequestWithContext(ctx, "POST", url, nil)
	if err != nil {
		return err
	}
	return d.do(req, nil)
}

// postOut POSTs to url with no body and reads the JSON answer into out.
func (d *demo) postOut(ctx context.Context, url string, out any) error {
	req, err := http.NewRequestWithContext(ctx, "POST", url, nil)
	if err != nil {
		return err
	}
	return d.do(req, out)
}

func (d *demo) postJSON(ctx context.Context, url string, body any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	return d.do(req, nil)
}

// smsCode reads the code the fake site "sent" to the simulated phone.
// followPublish follows a publish task to its end, answering the site's
// SMS check from the simulated phone when the task asks for it.
func (d *demo) followPublish(ctx context.Context, p, fake, id string) (task, bool, []row, error) {
	var rows []row
	last, answered := "", false
	tk, err := d.follow(ctx, p, id, func(t task) error {
		if s := t.State + "/" + t.Step; s != last {
			fmt.Printf("[%s] publish %s: %s step=%s progress=%d%%\n", p, t.ID[:8], t.State, t.Step, t.Progress)
			last = s
		}
		if t.Step != "verification_required" || answered {
			return nil
		}
		answered = true
		code, err := d.smsCode(ctx, fake)
		if err != nil {
			return err
		}
		var res struct {
			Challenge struct{ Kind, Prompt string } `json:"challenge"`
		}
		_ = json.Unmarshal(t.Result, &res)
		fmt.Printf("[%s] the site asks: %s %q; the demo reads the code %s from the simulated phone and answers\n", p, res.Challenge.Kind, res.Challenge.Prompt, code)
		start := time.Now()
		err = d.call(ctx, "POST", "/api/v1/tasks/"+t.ID+"/input", map[string]string{"code": code}, nil)
		rows = append(rows, row{Platform: p, Step: "answer SMS", Task: t.ID[:8], State: "answered", Detail: res.Challenge.Prompt, Took: time.Since(start)})
		return err
	})
	return tk, answered, rows, err
}

func (d *demo) smsCode(ctx context.Context, fake string) (string, error) {
	var st struct {
		Code string `json:"verification_code"`
	}
	if err := d.getJSON(ctx, fake+"/__fake__/state", &st); err != nil {
		return "", fmt.Errorf("read the simulated phone: %w", err)
	}
	if st.Code == "" {
		return "", errors.New("the fake site sent no SMS code")
	}
	return st.Code, nil
}

func (d *demo) getJSON(ctx context.Context, url string, out any) error {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return err
	}
	return d.do(req, out)
}

type file struct {
	ID        string `json:"id"`
	Filename  string `json:"filename"`
	SizeBytes int64  `json:"size_bytes"`
	SHA256    string `json:"sha256"`
}

// upload streams the video as multipart without reading it into memory.
func (d *demo) upload(ctx context.Context, path string) (file, error) {
	return d.uploadKind(ctx, path, "")
}

// uploadKind uploads path as a video ("") or with ?kind= (cover, image).
func (d *demo) uploadKind(ctx context.Context, path, kind string) (file, error) {
	var f file
	fh, err := os.Open(path)
	if err != nil {
		return f, err
	}
	defer fh.Close()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		w, err := mw.CreateFormFile("file", filepath.Base(path))
		if err == nil {
			_, err = io.Copy(w, fh)
		}
		pw.CloseWithError(errors.Join(err, mw.Close()))
	}()
	u := d.base + "/api/v1/files"
	if kind != "" {
		u += "?kind=" + kind
	}
	req, err := http.NewRequestWithContext(ctx, "POST", u, pr)
	if err != nil {
		return f, err
	}
	req.Header.Set("Authorization", "Bearer "+d.token)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return f, d.do(req, &f)
}

func printTable(w io.Writer, rows []row) {
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PLATFORM\tSTEP\tID\tSTATE\tTOOK\tDETAIL")
	for _, r := range rows {
		took := ""
		if r.Took > 0 {
			took = r.Took.Round(10 * time.Millisecond).String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Platform, r.Step, r.Task, r.State, took, r.Detail)
	}
	tw.Flush()
}
