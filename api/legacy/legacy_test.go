package legacy_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"fanout/api/apitest"
	"fanout/api/httpx"
	"fanout/api/legacy"
	"fanout/api/server"
	"fanout/pkg/job"
	"fanout/pkg/platform"
	"fanout/pkg/postgres"
	"fanout/pkg/web"
)

// sauSetup is apitest.Setup with the legacy routes' waits shortened.
func sauSetup(t *testing.T, tune func(*server.Config)) *apitest.API {
	t.Helper()
	a := apitest.Setup(t)
	cfg := a.Config()
	cfg.ValidAccountsWait, cfg.LoginQRWait, cfg.LoginLinger = 300*time.Millisecond, 300*time.Millisecond, 10*time.Millisecond
	if tune != nil {
		tune(&cfg)
	}
	a.Serve(cfg)
	return a
}

func TestSauAuthCORSAndCookie(t *testing.T) {
	a := sauSetup(t, nil)
	tok := a.Token
	a.Token = ""
	a.Do("GET", "/getAccounts", nil, "").WantMsg(t, 401, "missing bearer token")
	a.Do("GET", "/getFiles?token="+tok, nil, "").WantMsg(t, 401, "missing") // not a link route
	a.Token = "fo_wrong"
	a.Do("GET", "/getAccounts", nil, "").WantMsg(t, 401, "invalid token")
	// /api/v1 keeps its own envelope.
	a.Do("GET", "/api/v1/files", nil, "").WantError(t, 401, job.EUnauthorized, "")
	a.Token = tok

	// Preflight: 204 without auth, any origin, the headers the frontend sends.
	req, _ := http.NewRequest("OPTIONS", a.Srv.URL+"/postVideo", nil)
	req.Header.Set("Origin", "http://localhost:5173")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "authorization,content-type")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	allowed := strings.ToLower(res.Header.Get("Access-Control-Allow-Headers"))
	if res.StatusCode != 204 || res.Header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(allowed, "authorization") || !strings.Contains(allowed, "content-type") {
		t.Fatalf("preflight %d %v", res.StatusCode, res.Header)
	}

	// A header-authenticated call sets the session cookie and answers CORS.
	req, _ = http.NewRequest("GET", a.Srv.URL+"/getAccounts", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Origin", "http://localhost:5173")
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var cookie *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == httpx.SessionCookie {
			cookie = c
		}
	}
	if res.StatusCode != 200 || res.Header.Get("Access-Control-Allow-Origin") != "*" || cookie == nil ||
		!cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode || cookie.Path != "/" {
		t.Fatalf("getAccounts %d %v cookie %+v", res.StatusCode, res.Header, cookie)
	}

	path := a.SauUpload()
	get := func(url string, c *http.Cookie) int {
		req, _ := http.NewRequest("GET", a.Srv.URL+url, nil)
		if c != nil {
			req.AddCookie(c)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	// Link routes take ?token= or the cookie; other routes neither.
	if st := get("/getFile?filename="+path+"&token="+tok, nil); st != 200 {
		t.Fatalf("getFile with query token: %d", st)
	}
	if st := get("/download/"+path, cookie); st != 200 {
		t.Fatalf("download with cookie: %d", st)
	}
	if st := get("/getFile?filename="+path, nil); st != 401 {
		t.Fatalf("getFile without token: %d", st)
	}
	if st := get("/getFile?filename="+path+"&token=fo_bad", nil); st != 401 {
		t.Fatalf("getFile with bad token: %d", st)
	}
	if st := get("/getAccounts", cookie); st != 401 {
		t.Fatalf("getAccounts with cookie only: %d", st)
	}
	if st := get("/deleteFile?id=1", cookie); st != 401 {
		t.Fatalf("deleteFile with cookie only: %d", st)
	}
	f, _ := a.Store.SeqFiles(context.Background())
	if st := get("/api/v1/files/"+f[0].ID+"/content?token="+tok, nil); st != 200 {
		t.Fatalf("/api/v1 file content with query token: %d", st)
	}
	if st := get("/api/v1/files/"+f[0].ID+"?token="+tok, nil); st != 401 {
		t.Fatalf("/api/v1 file metadata with query token: %d", st)
	}
}

func TestSauFiles(t *testing.T) {
	a := sauSetup(t, nil)
	if out := a.Do("GET", "/getFiles", nil, "").Sau(t, 200); string(out.Data) != "[]" || out.MsgText() != "success" {
		t.Fatalf("empty getFiles: %s %s", out.MsgText(), out.Data)
	}
	video := apitest.Sample(t, "sample.mp4")
	path := a.SauUpload()
	if id, ok := legacy.UUIDPrefix(path); !ok || !strings.HasSuffix(path, ".mp4") {
		t.Fatalf("stored path %q (uuid %q)", path, id)
	}
	// uploadSave: custom name (sent after the file, as FormData does) gets the extension.
	out := a.Multipart("/uploadSave", map[string]string{"filename": "我的视频"}, "file", "orig.mp4", video, false).Sau(t, 200)
	var saved struct {
		Filename string `json:"filename"`
		Filepath string `json:"filepath"`
	}
	json.Unmarshal(out.Data, &saved)
	if saved.Filename != "我的视频.mp4" || saved.Filepath == "" || out.MsgText() != "File uploaded and saved successfully" {
		t.Fatalf("uploadSave: %s %s", out.MsgText(), out.Data)
	}
	// Images go to the library too (covers); text does not.
	out = a.Multipart("/uploadSave", nil, "file", "cover.png", apitest.Sample(t, "cover.png"), false).Sau(t, 200)
	json.Unmarshal(out.Data, &saved)
	if saved.Filename != "cover.png" || !strings.HasSuffix(saved.Filepath, ".png") {
		t.Fatalf("image uploadSave: %s", out.Data)
	}
	a.Multipart("/uploadSave", nil, "file", "x.mp4", []byte("just text, not a video"), false).WantMsg(t, 415, "unsupported")
	a.Multipart("/uploadSave", map[string]string{"a": "b"}, "", "", nil, true).WantMsg(t, 400, "No file part in the request")
	a.Multipart("/upload", nil, "file", "", video, false).WantMsg(t, 400, "No selected file")
	a.Do("POST", "/upload", strings.NewReader("{}"), "application/json").WantMsg(t, 400, "No file part in the request")
	a.Multipart("/upload", nil, "file", "big.mp4", append(append([]byte{}, video...), make([]byte, 64<<10)...), false).WantMsg(t, 413, "too large")

	// getFiles: exact row shape.
	out = a.Do("GET", "/getFiles", nil, "").Sau(t, 200)
	var rows []map[string]any
	json.Unmarshal(out.Data, &rows)
	if len(rows) != 3 {
		t.Fatalf("getFiles rows %s", out.Data)
	}
	keys := make([]string, 0)
	for k := range rows[0] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if !reflect.DeepEqual(keys, []string{"file_path", "filename", "filesize", "id", "upload_time", "uuid"}) {
		t.Fatalf("row keys %v", keys)
	}
	r0 := rows[0]
	wantMB := float64(int(float64(len(video))/(1<<20)*100+0.5)) / 100
	if r0["id"].(float64) < 1 || r0["filename"] != "clip.mp4" || r0["file_path"] != path || r0["filesize"].(float64) != wantMB ||
		!strings.HasPrefix(path, r0["uuid"].(string)) {
		t.Fatalf("row %v (want filesize %v)", r0, wantMB)
	}
	if _, err := time.Parse(time.DateTime, r0["upload_time"].(string)); err != nil {
		t.Fatalf("upload_time %v: %v", r0["upload_time"], err)
	}
	if !strings.Contains(string(out.Data), `"filesize":`) || strings.Contains(string(out.Data), `"filesize":"`) {
		t.Fatalf("filesize must be a number: %s", out.Data)
	}

	// getFile streams it (Range for the preview player); download as attachment.
	req, _ := http.NewRequest("GET", a.Srv.URL+"/getFile?filename="+path, nil)
	req.Header.Set("Authorization", "Bearer "+a.Token)
	req.Header.Set("Range", "bytes=0-")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 206 || !bytes.Equal(body, video) || res.Header.Get("Content-Type") != "video/mp4" {
		t.Fatalf("getFile %d %d bytes %v", res.StatusCode, len(body), res.Header)
	}
	r := a.Do("GET", "/download/"+path, nil, "")
	if r.Status != 200 || !bytes.Equal(r.Body, video) || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("download %d %v", r.Status, r.Header)
	}
	a.Do("GET", "/getFile", nil, "").WantMsg(t, 400, "filename is required")
	a.Do("GET", "/getFile?filename=../../etc/passwd", nil, "").WantMsg(t, 400, "Invalid filename")
	a.Do("GET", "/getFile?filename=/etc/passwd", nil, "").WantMsg(t, 400, "Invalid filename")
	a.Do("GET", "/getFile?filename="+uuid.NewString()+".mp4", nil, "").WantMsg(t, 404, "File not found")
	a.Do("GET", "/getFile?filename=passwd", nil, "").WantMsg(t, 404, "File not found")
	a.Do("GET", "/download/..%2f..%2fetc%2fpasswd", nil, "").WantMsg(t, 400, "Invalid filename")

	// getFileStats.
	out = a.Do("GET", "/getFileStats", nil, "").Sau(t, 200)
	var stats struct {
		SizeStats struct {
			TotalFiles  int     `json:"total_files"`
			TotalSizeMB float64 `json:"total_size_mb"`
			AvgSizeMB   float64 `json:"avg_size_mb"`
			MaxSizeMB   float64 `json:"max_size_mb"`
		} `json:"size_stats"`
		RecentFiles []legacy.FileRow `json:"recent_files"`
	}
	json.Unmarshal(out.Data, &stats)
	if stats.SizeStats.TotalFiles != 3 || stats.SizeStats.MaxSizeMB != wantMB || len(stats.RecentFiles) != 3 ||
		stats.RecentFiles[0].Filename != "cover.png" {
		t.Fatalf("getFileStats %s", out.Data)
	}

	// deleteFile by the integer id.
	a.Do("GET", "/deleteFile?id=abc", nil, "").WantMsg(t, 400, "Invalid or missing file ID")
	a.Do("GET", "/deleteFile", nil, "").WantMsg(t, 400, "Invalid or missing file ID")
	a.Do("GET", "/deleteFile?id=99999", nil, "").WantMsg(t, 404, "File not found")
	id := int64(r0["id"].(float64))
	out = a.Do("GET", "/deleteFile?id="+httpx.Itoa(id), nil, "").Sau(t, 200)
	if string(out.Data) != `{"filename":"clip.mp4","id":`+httpx.Itoa(id)+`}` || out.MsgText() != "File deleted successfully" {
		t.Fatalf("deleteFile %s %s", out.MsgText(), out.Data)
	}
	if _, err := os.Stat(a.Files.Path(path)); !os.IsNotExist(err) {
		t.Fatalf("file still on disk: %v", err)
	}
	a.Do("GET", "/getFile?filename="+path, nil, "").WantMsg(t, 404, "File not found")
}

// fakeWorker plays a worker's part on a task through the store's claim API.
type fakeWorker struct {
	t     *testing.T
	store *postgres.Store
	name  string
}

// Its methods run on their own goroutine, so they report with Errorf.
func (w fakeWorker) claim(id string) {
	if _, _, err := w.store.Claim(context.Background(), id, w.name, time.Minute); err != nil {
		w.t.Errorf("claim: %v", err)
	}
}

func (w fakeWorker) result(id string, v any) {
	if err := w.store.SetResult(context.Background(), id, w.name, v, "result"); err != nil {
		w.t.Errorf("set result: %v", err)
	}
}

func (w fakeWorker) finish(id string, st job.State, v any, terr *job.TaskError) {
	if err := w.store.Finish(context.Background(), id, w.name, st, v, terr); err != nil {
		w.t.Errorf("finish: %v", err)
	}
}

// waitPending waits for a queued task of kind (bounded); it may run on any
// goroutine.
func waitPending(t *testing.T, store *postgres.Store, kind job.Kind) job.Task {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		ts, err := store.PendingTasks(context.Background(), kind)
		if err != nil {
			t.Errorf("pending tasks: %v", err)
			return job.Task{}
		}
		if len(ts) > 0 {
			return ts[len(ts)-1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("no %s task queued", kind)
	return job.Task{}
}

func TestSauAccounts(t *testing.T) {
	a := sauSetup(t, func(c *server.Config) { c.ValidAccountsWait = 3 * time.Second })
	ctx := context.Background()
	if out := a.Do("GET", "/getAccounts", nil, "").Sau(t, 200); string(out.Data) != "[]" || out.Msg != nil {
		t.Fatalf("empty getAccounts %s %v", out.Data, out.Msg)
	}
	one := a.Account("one")
	two := a.Account("two")
	if err := a.Store.SaveCookies(ctx, two.ID, []web.Cookie{{Name: "sessionid", Value: "v", Domain: ".douyin.com", Path: "/"}}, job.AccountActive, true); err != nil {
		t.Fatal(err)
	}
	seqs, _ := a.Store.SeqAccounts(ctx)
	out := a.Do("GET", "/getAccounts", nil, "").Sau(t, 200)
	want := `[[` + httpx.Itoa(seqs[0].Seq) + `,3,"` + one.ID + `.json","one",0],[` + httpx.Itoa(seqs[1].Seq) + `,3,"` + two.ID + `.json","two",1]]`
	if string(out.Data) != want {
		t.Fatalf("getAccounts\n got %s\nwant %s", out.Data, want)
	}

	// getValidAccounts: checks "two" (one has no cookies); a fake worker
	// finds its cookies expired, and the answer says so before the bound.
	done := make(chan struct{})
	go func() {
		defer close(done)
		tk := waitPending(t, a.Store, job.KindCheck)
		w := fakeWorker{t, a.Store, "w1"}
		w.claim(tk.ID)
		if err := a.Store.SetAccountStatus(ctx, two.ID, job.AccountExpired); err != nil {
			t.Error(err)
		}
		w.finish(tk.ID, job.StateSucceeded, map[string]bool{"valid": false}, nil)
	}()
	start := time.Now()
	out = a.Do("GET", "/getValidAccounts", nil, "").Sau(t, 200)
	<-done
	if took := time.Since(start); took > 2500*time.Millisecond {
		t.Fatalf("getValidAccounts took %s although the check finished", took)
	}
	if !strings.HasSuffix(string(out.Data), `"two",0]]`) || !strings.Contains(string(out.Data), `"one",0]`) {
		t.Fatalf("getValidAccounts after a failed check: %s", out.Data)
	}
	// No worker: the check stays queued; the answer comes at the bound with
	// the status from before, and a second call joins the same check.
	a.Store.SetAccountStatus(ctx, two.ID, job.AccountActive)
	start = time.Now()
	out = a.Do("GET", "/getValidAccounts", nil, "").Sau(t, 200)
	if took := time.Since(start); took < 2*time.Second || took > 10*time.Second || !strings.HasSuffix(string(out.Data), `"two",1]]`) {
		t.Fatalf("getValidAccounts with no worker took %s: %s", took, out.Data)
	}
	a.Serve(server.Config{ValidAccountsWait: 50 * time.Millisecond})
	a.Do("GET", "/getValidAccounts", nil, "").Sau(t, 200)
	if ts, _ := a.Store.PendingTasks(ctx, job.KindCheck); len(ts) != 1 {
		t.Fatalf("%d pending checks, want the one joined", len(ts))
	}

	// getPlatformStats.
	out = a.Do("GET", "/getPlatformStats", nil, "").Sau(t, 200)
	if !strings.Contains(string(out.Data), `{"platform":3,"total":2,"valid":1}`) ||
		!strings.Contains(string(out.Data), `"overall":{"total_accounts":2,"total_files":0,"valid_accounts":1}`) {
		t.Fatalf("getPlatformStats %s", out.Data)
	}

	// updateUserinfo.
	s1 := httpx.Itoa(seqs[0].Seq)
	out = a.JSONDo("POST", "/updateUserinfo", `{"id":`+s1+`,"type":3,"userName":"renamed"}`).Sau(t, 200)
	if out.MsgText() != "account update successfully" || string(out.Data) != "null" {
		t.Fatalf("updateUserinfo %s", out.MsgText())
	}
	if acc, _ := a.Store.GetAccount(ctx, one.ID); acc.Name != "renamed" {
		t.Fatalf("name %q", acc.Name)
	}
	a.JSONDo("POST", "/updateUserinfo", `{"id":"`+s1+`","userName":"again"}`).Sau(t, 200)
	a.JSONDo("POST", "/updateUserinfo", `{"id":`+s1+`,"type":12,"userName":"x"}`).WantMsg(t, 400, "不支持的平台类型")
	a.JSONDo("POST", "/updateUserinfo", `{"id":`+s1+`,"userName":"two"}`).WantMsg(t, 409, "同名")
	a.JSONDo("POST", "/updateUserinfo", `{"id":`+s1+`,"userName":"  "}`).WantMsg(t, 400, "userName")
	a.JSONDo("POST", "/updateUserinfo", `{"userName":"x"}`).WantMsg(t, 400, "Invalid or missing account ID")
	a.JSONDo("POST", "/updateUserinfo", `{"id":99999,"userName":"x"}`).WantMsg(t, 404, "account not found")
	a.JSONDo("POST", "/updateUserinfo", `{"id":`).WantMsg(t, 400, "JSON")
	a.JSONDo("POST", "/updateUserinfo", "").WantMsg(t, 400, "请求数据不能为空")

	// uploadCookie / downloadCookie (storage state, sealed, traversal-proof).
	state := `{"cookies":[{"name":"sessionid","value":"imported","domain":".douyin.com","path":"/","expires":-1,"httpOnly":true,"secure":true,"sameSite":"Lax"}],"origins":[]}`
	out = a.Multipart("/uploadCookie", map[string]string{"id": s1, "platform": "抖音"}, "file", "c.json", []byte(state), true).Sau(t, 200)
	if out.MsgText() != "Cookie文件上传成功" {
		t.Fatalf("uploadCookie %s", out.MsgText())
	}
	if acc, _ := a.Store.GetAccount(ctx, one.ID); !acc.HasCookies || acc.Status != job.AccountActive {
		t.Fatalf("account after uploadCookie %+v", acc)
	}
	a.Multipart("/uploadCookie", map[string]string{"id": s1, "platform": "抖音"}, "file", "c.txt", []byte(state), true).WantMsg(t, 400, "Cookie文件必须是JSON格式")
	a.Multipart("/uploadCookie", map[string]string{"platform": "抖音"}, "file", "c.json", []byte(state), true).WantMsg(t, 400, "缺少账号ID或平台信息")
	a.Multipart("/uploadCookie", map[string]string{"id": s1}, "", "", nil, true).WantMsg(t, 400, "没有找到Cookie文件")
	a.Multipart("/uploadCookie", map[string]string{"id": "99999", "platform": "抖音"}, "file", "c.json", []byte(state), true).WantMsg(t, 404, "账号不存在")
	a.Multipart("/uploadCookie", map[string]string{"id": s1, "platform": "抖音"}, "file", "c.json", []byte(`{"nope":1}`), true).WantMsg(t, 400, "Cookie文件格式错误")

	r := a.Do("GET", "/downloadCookie?filePath="+one.ID+".json", nil, "")
	var st web.StorageState
	if err := json.Unmarshal(r.Body, &st); err != nil || r.Status != 200 || len(st.Cookies) != 1 || st.Cookies[0].Value != "imported" ||
		st.Origins == nil || !strings.Contains(r.Header.Get("Content-Disposition"), one.ID+".json") {
		t.Fatalf("downloadCookie %d %s %v", r.Status, r.Body, r.Header)
	}
	a.Do("GET", "/downloadCookie", nil, "").WantMsg(t, 400, "缺少文件路径参数")
	a.Do("GET", "/downloadCookie?filePath=../../etc/passwd", nil, "").WantMsg(t, 400, "非法文件路径")
	a.Do("GET", "/downloadCookie?filePath=x/"+one.ID+".json", nil, "").WantMsg(t, 400, "非法文件路径")
	a.Do("GET", "/downloadCookie?filePath="+uuid.NewString()+".json", nil, "").WantMsg(t, 404, "Cookie文件不存在")

	// deleteAccount cancels the account's pending check first.
	a.Do("GET", "/deleteAccount?id=x", nil, "").WantMsg(t, 400, "Invalid or missing account ID")
	a.Do("GET", "/deleteAccount?id=99999", nil, "").WantMsg(t, 404, "account not found")
	out = a.Do("GET", "/deleteAccount?id="+httpx.Itoa(seqs[1].Seq), nil, "").Sau(t, 200)
	if out.MsgText() != "account deleted successfully" {
		t.Fatalf("deleteAccount %s", out.MsgText())
	}
	if _, err := a.Store.GetAccount(ctx, two.ID); job.ErrorCode(err) != job.ENotFound {
		t.Fatalf("account still there: %v", err)
	}
}

// sseFrames reads "data:" frames of a legacy SSE stream until it ends.
func sseFrames(t *testing.T, res *http.Response) []string {
	t.Helper()
	defer res.Body.Close()
	var out []string
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
			out = append(out, d)
		}
	}
	return out
}

func sse(a *apitest.API, path string) *http.Response {
	a.T.Helper()
	req, _ := http.NewRequest("GET", a.Srv.URL+path, nil)
	req.Header.Set("Origin", "http://localhost:5173")
	res, err := (&http.Client{Timeout: 20 * time.Second}).Do(req)
	if err != nil {
		a.T.Fatal(err)
	}
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream" ||
		res.Header.Get("Access-Control-Allow-Origin") != "*" || res.Header.Get("X-Task-Id") == "" {
		b, _ := io.ReadAll(res.Body)
		a.T.Fatalf("sse %s: %d %v %s", path, res.StatusCode, res.Header, b)
	}
	return res
}

// TestSauLoginProtocol drives /login against a fake worker that writes the
// login task's result as the real one does (the real worker and fake Douyin
// are in worker/sau_e2e_test.go).
func TestSauLoginProtocol(t *testing.T) {
	a := sauSetup(t, nil)
	ctx := context.Background()
	a.Do("GET", "/login?id=me", nil, "").WantMsg(t, 400, "平台类型不能为空")
	a.Do("GET", "/login?type=3", nil, "").WantMsg(t, 400, "不能为空")
	a.Do("GET", "/login?type=12&id=me", nil, "").WantMsg(t, 400, "不支持的平台类型: 12")
	a.Do("GET", "/login?type=abc&id=me", nil, "").WantMsg(t, 400, "不支持的平台类型")
	for _, st := range legacy.SauTypes {
		if !st.Name.Valid() {
			a.Do("GET", "/login?type="+httpx.Itoa(int64(st.Num))+"&id=me", nil, "").WantMsg(t, 400, "尚未在本服务启用")
		}
	}
	qr := "data:image/png;base64," + strings.Repeat("QUJD", 40)
	tok := "&token=" + a.Token

	for _, format := range []string{"", "json"} {
		t.Run("success "+format, func(t *testing.T) {
			name := "user-" + format
			go func() {
				tk := waitPending(t, a.Store, job.KindLogin)
				w := fakeWorker{t, a.Store, "w-" + format}
				w.claim(tk.ID)
				w.result(tk.ID, job.LoginResult{Phase: platform.PhaseQRCode, QRCode: qr})
				w.result(tk.ID, job.LoginResult{Phase: platform.PhaseScanned})
				w.finish(tk.ID, job.StateSucceeded, job.LoginResult{Phase: platform.PhaseSucceeded}, nil)
			}()
			frames := sseFrames(t, sse(a, "/login?type=3&id="+name+"&format="+format+tok))
			want := []string{qr, "200"}
			if format == "json" {
				want = []string{`{"qrcodeUrl":"` + qr + `","status":"qrcode"}`, `{"status":"scanned"}`, `{"status":"success"}`}
			}
			if !reflect.DeepEqual(frames, want) {
				t.Fatalf("frames %q\nwant %q", frames, want)
			}
			if _, err := a.Store.AccountByName(ctx, platform.Douyin, name); err != nil {
				t.Fatalf("account %q not created: %v", name, err)
			}
		})
	}

	t.Run("failure and expiry", func(t *testing.T) {
		go func() {
			tk := waitPending(t, a.Store, job.KindLogin)
			w := fakeWorker{t, a.Store, "w-fail"}
			w.claim(tk.ID)
			w.result(tk.ID, job.LoginResult{Phase: platform.PhaseQRCode, QRCode: qr})
			w.finish(tk.ID, job.StateFailed, job.LoginResult{Phase: platform.PhaseFailed}, &job.TaskError{Code: job.CodeLoginTimeout, Message: "no scan"})
		}()
		frames := sseFrames(t, sse(a, "/login?type=3&id=fail&format=json"+tok))
		if len(frames) != 2 || !strings.Contains(frames[1], `"status":"error"`) || !strings.Contains(frames[1], "登录超时") {
			t.Fatalf("failure frames %q", frames)
		}
		ids := make(chan string, 1)
		go func() {
			tk := waitPending(t, a.Store, job.KindLogin)
			ids <- tk.ID
			w := fakeWorker{t, a.Store, "w-exp"}
			w.claim(tk.ID)
			w.result(tk.ID, job.LoginResult{Phase: platform.PhaseQRCode, QRCode: qr})
			w.result(tk.ID, job.LoginResult{Phase: platform.PhaseExpired})
		}()
		frames = sseFrames(t, sse(a, "/login?type=3&id=exp"+tok))
		if !reflect.DeepEqual(frames, []string{qr, "500"}) {
			t.Fatalf("expiry frames %q", frames)
		}
		if tk, _ := a.Store.GetTask(ctx, <-ids); !tk.CancelRequested {
			t.Fatalf("expired login not canceled: %+v", tk)
		}
	})

	t.Run("no QR within the bound", func(t *testing.T) {
		res := sse(a, "/login?type=3&id=noqr&format=json"+tok)
		taskID := res.Header.Get("X-Task-Id")
		frames := sseFrames(t, res)
		if len(frames) != 1 || !strings.Contains(frames[0], `"status":"error"`) || !strings.Contains(frames[0], "二维码") {
			t.Fatalf("frames %q", frames)
		}
		if tk, _ := a.Store.GetTask(ctx, taskID); tk.State != job.StateCanceled {
			t.Fatalf("login task %s, want canceled", tk.State)
		}
	})

	t.Run("client gone cancels the login", func(t *testing.T) {
		b := sauSetup(t, func(c *server.Config) { c.LoginQRWait = time.Minute })
		cctx, cancel := context.WithCancel(ctx)
		req, _ := http.NewRequestWithContext(cctx, "GET", b.Srv.URL+"/login?type=3&id=leaver&token="+b.Token, nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		taskID := res.Header.Get("X-Task-Id")
		cancel()
		res.Body.Close()
		deadline := time.Now().Add(5 * time.Second)
		for {
			tk, _ := b.Store.GetTask(ctx, taskID)
			if tk.State == job.StateCanceled {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("login task %s after the client left, want canceled", tk.State)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

// publishSpec reads the stored request of a publish task.
func publishSpec(t *testing.T, store *postgres.Store, id string) (job.Task, job.PublishSpec) {
	t.Helper()
	tk, err := store.GetTask(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var spec job.PublishSpec
	if err := json.Unmarshal(tk.Request, &spec); err != nil {
		t.Fatal(err)
	}
	return tk, spec
}

func taskIDs(t *testing.T, out apitest.SauResp) []string {
	t.Helper()
	var d struct {
		TaskIDs []string `json:"task_ids"`
	}
	if err := json.Unmarshal(out.Data, &d); err != nil || out.MsgText() != "发布任务已提交" {
		t.Fatalf("postVideo answer %s %s", out.MsgText(), out.Data)
	}
	return d.TaskIDs
}

func TestSauPostVideo(t *testing.T) {
	a := sauSetup(t, nil) // now: 2026-03-10 23:42 in Asia/Shanghai
	ctx := context.Background()
	sh, _ := time.LoadLocation("Asia/Shanghai")
	v1, v2 := a.SauUpload(), a.SauUpload()
	var cover struct {
		Filepath string `json:"filepath"`
	}
	json.Unmarshal(a.Multipart("/uploadSave", nil, "file", "cover.png", apitest.Sample(t, "cover.png"), false).Sau(t, 200).Data, &cover)
	acc := a.Account("poster")
	fp := acc.ID + ".json"

	// Exactly what the Vue frontend sends.
	out := a.JSONDo("POST", "/postVideo", map[string]any{"type": 3, "title": "前端发布", "tags": []string{"话题1", "#话题2"},
		"fileList": []string{v1}, "accountList": []string{fp}, "enableTimer": 0, "videosPerDay": 1, "dailyTimes": []string{"10:00"},
		"startDays": 0, "category": 0, "productLink": "", "productTitle": "", "isDraft": false}).Sau(t, 200)
	ids := taskIDs(t, out)
	if len(ids) != 1 {
		t.Fatalf("task_ids %v", ids)
	}
	tk, spec := publishSpec(t, a.Store, ids[0])
	if tk.Kind != job.KindPublish || tk.AccountID != acc.ID || tk.Platform != platform.Douyin || spec.Title != "前端发布" ||
		!reflect.DeepEqual(spec.Tags, []string{"话题1", "话题2"}) || spec.ScheduleAt != nil || spec.Draft || spec.Category != "" {
		t.Fatalf("task %+v spec %+v", tk, spec)
	}
	if r := a.Do("GET", "/api/v1/tasks/"+ids[0], nil, ""); r.Status != 200 {
		t.Fatalf("task not pollable at /api/v1: %d", r.Status)
	}

	// The seed's shape: string tags, bool timer, snake-case extras, two files.
	out = a.JSONDo("POST", "/postVideo", map[string]any{"type": "3", "title": "种子", "tags": "#话题1 话题2  #话题3",
		"fileList": []string{v1, v2}, "accountList": []string{fp}, "enableTimer": true, "videosPerDay": 2,
		"dailyTimes": []string{"12:00", "18:30"}, "startDays": 1, "thumbnail_path": cover.Filepath,
		"productLink": "https://shop.example/p/1", "productTitle": "商品", "category": "生活"}).Sau(t, 200)
	ids = taskIDs(t, out)
	if len(ids) != 2 {
		t.Fatalf("task_ids %v", ids)
	}
	wantAt := []time.Time{time.Date(2026, 3, 12, 12, 0, 0, 0, sh), time.Date(2026, 3, 12, 18, 30, 0, 0, sh)}
	for i, id := range ids {
		_, spec := publishSpec(t, a.Store, id)
		if spec.ScheduleAt == nil || !spec.ScheduleAt.Equal(wantAt[i]) || !reflect.DeepEqual(spec.Tags, []string{"话题1", "话题2", "话题3"}) ||
			spec.Draft || spec.ProductLink != "https://shop.example/p/1" || spec.ProductTitle != "商品" || spec.Category != "生活" ||
			spec.CoverFileID == "" || !strings.HasPrefix(cover.Filepath, spec.CoverFileID) {
			t.Fatalf("video %d spec %+v", i, spec)
		}
	}

	// Integer (and fractional) hours, default videosPerDay.
	out = a.JSONDo("POST", "/postVideo", map[string]any{"type": 3, "title": "整点", "fileList": []string{v1, v2}, "accountList": []string{fp},
		"enableTimer": 1, "videosPerDay": 2, "dailyTimes": []any{9, 20.5}}).Sau(t, 200)
	ids = taskIDs(t, out)
	_, s0 := publishSpec(t, a.Store, ids[0])
	_, s1 := publishSpec(t, a.Store, ids[1])
	if !s0.ScheduleAt.Equal(time.Date(2026, 3, 11, 9, 0, 0, 0, sh)) || !s1.ScheduleAt.Equal(time.Date(2026, 3, 11, 20, 30, 0, 0, sh)) {
		t.Fatalf("integer hours: %v %v", s0.ScheduleAt, s1.ScheduleAt)
	}
	// Drafts: is_draft and isDraft 1 reach a platform that has drafts
	// (Channels); one without them (Douyin) refuses the draft by name
	// instead of publishing it publicly.
	var ch struct {
		ID string `json:"id"`
	}
	a.JSONDo("POST", "/api/v1/accounts", map[string]string{"platform": "channels", "name": "ch"}).JSON(t, &ch)
	for _, draft := range []map[string]any{{"is_draft": true}, {"isDraft": 1}} {
		body := map[string]any{"type": 2, "title": "草稿", "fileList": []string{v1}, "accountList": []string{ch.ID + ".json"}}
		for k, v := range draft {
			body[k] = v
		}
		if _, s := publishSpec(t, a.Store, taskIDs(t, a.JSONDo("POST", "/postVideo", body).Sau(t, 200))[0]); !s.Draft {
			t.Fatalf("draft %v: spec %+v", draft, s)
		}
	}
	a.JSONDo("POST", "/postVideo", map[string]any{"type": 3, "title": "草稿", "fileList": []string{v1}, "accountList": []string{fp},
		"isDraft": true}).WantMsg(t, 400, "isDraft: douyin: drafts are not supported")

	// Timer without dailyTimes: the original's default (06:00 first).
	ids = taskIDs(t, a.JSONDo("POST", "/postVideo", map[string]any{"type": 3, "title": "默认", "fileList": []string{v1},
		"accountList": []string{fp}, "enableTimer": true}).Sau(t, 200))
	if _, s := publishSpec(t, a.Store, ids[0]); !s.ScheduleAt.Equal(time.Date(2026, 3, 11, 6, 0, 0, 0, sh)) {
		t.Fatalf("default time %v", s.ScheduleAt)
	}

	before, _, _ := a.Store.ListTasks(ctx, job.TaskFilter{Limit: 200})
	base := func() map[string]any {
		return map[string]any{"type": 3, "title": "t", "fileList": []string{v1}, "accountList": []string{fp}}
	}
	with := func(k string, v any) map[string]any {
		m := base()
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	ks, err := a.Store.CreateAccount(ctx, uuid.NewString(), platform.Kuaishou, "ks", "")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		body   any
		status int
		msg    string
	}{
		{"empty body", "", 400, "请求数据不能为空"},
		{"not JSON", "{", 400, "JSON"},
		{"no files", with("fileList", nil), 400, "文件列表不能为空"},
		{"empty files", with("fileList", []string{}), 400, "文件列表不能为空"},
		{"no accounts", with("accountList", nil), 400, "账号列表不能为空"},
		{"no type", with("type", nil), 400, "平台类型不能为空"},
		{"no title", with("title", " "), 400, "标题不能为空"},
		{"unknown type", with("type", 12), 400, "不支持的平台类型: 12"},
		{"unknown file", with("fileList", []string{"nope.mp4"}), 400, "fileList[0]: 文件不存在"},
		{"missing file", with("fileList", []string{uuid.NewString() + ".mp4"}), 400, "fileList[0]"},
		{"unknown account", with("accountList", []string{uuid.NewString() + ".json"}), 400, "accountList[0]: 账号不存在"},
		{"account of another platform", with("accountList", []string{ks.ID + ".json"}), 400, "不是抖音账号"},
		{"bad timer", with("enableTimer", "yes"), 400, "enableTimer"},
		{"bad tags", with("tags", map[string]int{"a": 1}), 400, "tags"},
		{"cover not found", with("thumbnail", "/home/me/cover.png"), 400, "thumbnail"},
		{"cover is a video", with("thumbnail", v2), 400, "thumbnail"},
		{"bad product link", with("productLink", "javascript:alert(1)"), 400, "productLink"},
		{"too close", func() map[string]any {
			m := base()
			m["enableTimer"], m["dailyTimes"] = true, []string{"00:30"} // 48 minutes ahead
			return m
		}(), 400, "dailyTimes"},
		{"bad time", func() map[string]any {
			m := base()
			m["enableTimer"], m["dailyTimes"] = true, []string{"25:00"}
			return m
		}(), 400, "dailyTimes"},
		{"hour out of range", func() map[string]any {
			m := base()
			m["enableTimer"], m["dailyTimes"] = true, []any{24}
			return m
		}(), 400, "dailyTimes"},
		{"more per day than times", func() map[string]any {
			m := base()
			m["enableTimer"], m["videosPerDay"], m["dailyTimes"] = true, 2, []string{"10:00"}
			return m
		}(), 400, "dailyTimes"},
		{"zero per day", func() map[string]any {
			m := base()
			m["enableTimer"], m["videosPerDay"] = true, 0
			return m
		}(), 400, "videosPerDay"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			a.JSONDo("POST", "/postVideo", tt.body).WantMsg(t, tt.status, tt.msg)
		})
	}
	for _, st := range legacy.SauTypes {
		if !st.Name.Valid() {
			a.JSONDo("POST", "/postVideo", with("type", st.Num)).WantMsg(t, 400, "不支持的平台类型")
		}
	}
	after, _, _ := a.Store.ListTasks(ctx, job.TaskFilter{Limit: 200})
	if len(after) != len(before) {
		t.Fatalf("bad requests queued %d tasks", len(after)-len(before))
	}
}

func TestSauPostVideoBatch(t *testing.T) {
	a := sauSetup(t, nil)
	ctx := context.Background()
	v := a.SauUpload()
	fp := a.Account("batch").ID + ".json"
	item := func(title string) map[string]any {
		return map[string]any{"type": 3, "title": title, "fileList": []string{v}, "accountList": []string{fp}, "tags": "a b"}
	}
	ids := taskIDs(t, a.JSONDo("POST", "/postVideoBatch", []any{item("一"), item("二")}).Sau(t, 200))
	if len(ids) != 2 {
		t.Fatalf("task_ids %v", ids)
	}
	if _, s := publishSpec(t, a.Store, ids[1]); s.Title != "二" {
		t.Fatalf("second item %+v", s)
	}
	before, _, _ := a.Store.ListTasks(ctx, job.TaskFilter{Limit: 200})
	bad := item("")
	a.JSONDo("POST", "/postVideoBatch", []any{item("ok"), bad}).WantMsg(t, 400, "[1]: 标题不能为空")
	tooLong := item(strings.Repeat("长", 101))
	a.JSONDo("POST", "/postVideoBatch", []any{item("ok"), tooLong}).WantMsg(t, 400, "[1].title")
	a.JSONDo("POST", "/postVideoBatch", item("x")).WantMsg(t, 400, "Expected a JSON array")
	a.JSONDo("POST", "/postVideoBatch", []any{}).WantMsg(t, 400, "发布列表不能为空")
	a.JSONDo("POST", "/postVideoBatch", "").WantMsg(t, 400, "请求数据不能为空")
	after, _, _ := a.Store.ListTasks(ctx, job.TaskFilter{Limit: 200})
	if len(after) != len(before) {
		t.Fatalf("an invalid batch queued %d tasks", len(after)-len(before))
	}
}
