// Package tencenttest is a fake Tencent Cloud API 3.0 endpoint for the CSS
// relay actions. It checks what the real API checks before it acts: the
// TC3-HMAC-SHA256 Authorization against its own secret, the signed headers,
// a timestamp within five minutes, the action and version, and the
// parameters of CreateLivePullStreamTask / DeleteLivePullStreamTask. It keeps
// the relay tasks, so tests and the demo can see what was asked for
// (GET /__fake__/tasks).
package tencenttest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"fanout/pkg/live/tencent"
)

// Task is one relay task as the fake holds it.
type Task struct {
	TaskID     string    `json:"task_id"`
	SourceURLs []string  `json:"source_urls"`
	ToURL      string    `json:"to_url"`
	StartTime  string    `json:"start_time"`
	EndTime    string    `json:"end_time"`
	Operator   string    `json:"operator"`
	Deleted    bool      `json:"deleted"`
	CreatedAt  time.Time `json:"created_at"`
}

// Server is the fake API. Its handler serves POST / (the API) and
// GET /__fake__/tasks.
type Server struct {
	SecretID, SecretKey string

	mu       sync.Mutex
	tasks    []*Task
	calls    int
	rejected int
	failNext string
	srv      *httptest.Server
}

// New returns a fake that accepts requests signed with id and key.
func New(id, key string) *Server { return &Server{SecretID: id, SecretKey: key} }

// NewServer starts a fake on loopback for the test and closes it after.
func NewServer(t testing.TB) *Server {
	s := New("AKIDfanouttest", "fanout-test-secret-key")
	s.srv = httptest.NewServer(s)
	t.Cleanup(s.srv.Close)
	return s
}

// URL is the base URL of a fake started with NewServer.
func (s *Server) URL() string { return s.srv.URL }

// Tasks returns a copy of every task created so far.
func (s *Server) Tasks() []Task {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Task, 0, len(s.tasks))
	for _, t := range s.tasks {
		out = append(out, *t)
	}
	return out
}

// Calls is how many API calls passed the signature check; Rejected how
// many failed it.
func (s *Server) Calls() (ok, rejected int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls, s.rejected
}

// FailNext makes the next API call answer with the error code.
func (s *Server) FailNext(code string) {
	s.mu.Lock()
	s.failNext = code
	s.mu.Unlock()
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/__fake__/tasks" && r.Method == http.MethodGet {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(s.Tasks())
		return
	}
	if r.Method != http.MethodPost || r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	action := r.Header.Get("X-TC-Action")
	if code, msg := s.verify(r, body); code != "" {
		s.mu.Lock()
		s.rejected++
		s.mu.Unlock()
		apiError(w, code, msg)
		return
	}
	s.mu.Lock()
	s.calls++
	fail := s.failNext
	s.failNext = ""
	s.mu.Unlock()
	if fail != "" {
		apiError(w, fail, "injected by the fake")
		return
	}
	if r.Header.Get("X-TC-Version") != tencent.LiveVersion {
		apiError(w, "InvalidParameterValue", "unsupported version "+r.Header.Get("X-TC-Version"))
		return
	}
	switch action {
	case "CreateLivePullStreamTask":
		s.create(w, body)
	case "DeleteLivePullStreamTask":
		s.delete(w, body)
	default:
		apiError(w, "InvalidAction", "unknown action "+action)
	}
}

// verify recomputes the Authorization header from the request as received.
func (s *Server) verify(r *http.Request, body []byte) (code, msg string) {
	if ct := r.Header.Get("Content-Type"); ct != tencent.ContentType {
		return "InvalidParameter", "content-type must be " + tencent.ContentType + ", got " + ct
	}
	ts, err := strconv.ParseInt(r.Header.Get("X-TC-Timestamp"), 10, 64)
	if err != nil {
		return "MissingParameter", "X-TC-Timestamp"
	}
	if d := time.Since(time.Unix(ts, 0)); d > 5*time.Minute || d < -5*time.Minute {
		return "AuthFailure.SignatureExpire", "timestamp too far from now"
	}
	auth := r.Header.Get("Authorization")
	if !strings.HasPrefix(auth, tencent.Algorithm+" Credential="+s.SecretID+"/") {
		return "AuthFailure.SecretIdNotFound", "unknown SecretId"
	}
	if !strings.Contains(auth, "SignedHeaders=content-type;host,") {
		return "AuthFailure.SignatureFailure", "signed headers must be content-type;host"
	}
	want := tencent.Authorization(s.SecretID, s.SecretKey, "live", r.Host, ts, body)
	if auth != want {
		return "AuthFailure.SignatureFailure", "the request signature does not match"
	}
	return "", ""
}

func (s *Server) create(w http.ResponseWriter, body []byte) {
	var p struct {
		SourceType string   `json:"SourceType"`
		SourceUrls []string `json:"SourceUrls"`
		DomainName *string  `json:"DomainName"`
		AppName    *string  `json:"AppName"`
		StreamName *string  `json:"StreamName"`
		ToURL      string   `json:"ToUrl"`
		StartTime  string   `json:"StartTime"`
		EndTime    string   `json:"EndTime"`
		Operator   string   `json:"Operator"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		apiError(w, "InvalidParameter", err.Error())
		return
	}
	if p.SourceType != "PullLivePushLive" {
		apiError(w, "InvalidParameterValue.SourceType", "SourceType must be PullLivePushLive for a live source")
		return
	}
	if len(p.SourceUrls) != 1 || !validURL(p.SourceUrls[0], "rtmp", "rtmps", "http", "https", "srt", "rtsp") {
		apiError(w, "InvalidParameterValue.SourceUrls", "a live source takes exactly one rtmp/http/srt/rtsp URL")
		return
	}
	if p.DomainName == nil || p.AppName == nil || p.StreamName == nil {
		apiError(w, "MissingParameter", "DomainName, AppName and StreamName are required (empty with ToUrl)")
		return
	}
	if p.ToURL == "" && (*p.DomainName == "" || *p.StreamName == "") {
		apiError(w, "MissingParameter", "a destination (ToUrl or DomainName/StreamName) is required")
		return
	}
	if p.ToURL != "" && !validURL(p.ToURL, "rtmp", "rtmps") {
		apiError(w, "InvalidParameterValue.ToUrl", "ToUrl must be an rtmp URL")
		return
	}
	start, err1 := time.Parse("2006-01-02T15:04:05Z", p.StartTime)
	end, err2 := time.Parse("2006-01-02T15:04:05Z", p.EndTime)
	switch {
	case err1 != nil || err2 != nil:
		apiError(w, "InvalidParameterValue.TimeFormat", "StartTime and EndTime must be UTC ISO 8601 (2019-01-08T10:00:00Z)")
		return
	case !end.After(start) || end.Sub(start) > 7*24*time.Hour:
		apiError(w, "InvalidParameterValue.EndTime", "EndTime must be after StartTime and within seven days")
		return
	case p.Operator == "":
		apiError(w, "MissingParameter", "Operator")
		return
	}
	s.mu.Lock()
	t := &Task{TaskID: strconv.Itoa(1000 + len(s.tasks)), SourceURLs: p.SourceUrls, ToURL: p.ToURL,
		StartTime: p.StartTime, EndTime: p.EndTime, Operator: p.Operator, CreatedAt: time.Now()}
	s.tasks = append(s.tasks, t)
	s.mu.Unlock()
	reply(w, map[string]any{"TaskId": t.TaskID})
}

func (s *Server) delete(w http.ResponseWriter, body []byte) {
	var p struct {
		TaskID   string `json:"TaskId"`
		Operator string `json:"Operator"`
	}
	if err := json.Unmarshal(body, &p); err != nil || p.TaskID == "" || p.Operator == "" {
		apiError(w, "MissingParameter", "TaskId and Operator are required")
		return
	}
	s.mu.Lock()
	i := slices.IndexFunc(s.tasks, func(t *Task) bool { return t.TaskID == p.TaskID && !t.Deleted })
	if i >= 0 {
		s.tasks[i].Deleted = true
	}
	s.mu.Unlock()
	if i < 0 {
		apiError(w, "ResourceNotFound.TaskId", "no such task")
		return
	}
	reply(w, map[string]any{})
}

func validURL(s string, schemes ...string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Host != "" && slices.Contains(schemes, u.Scheme)
}

var reqSeq struct {
	sync.Mutex
	n int
}

func requestID() string {
	reqSeq.Lock()
	defer reqSeq.Unlock()
	reqSeq.n++
	return fmt.Sprintf("fake-%06d", reqSeq.n)
}

func reply(w http.ResponseWriter, resp map[string]any) {
	resp["RequestId"] = requestID()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"Response": resp})
}

func apiError(w http.ResponseWriter, code, msg string) {
	reply(w, map[string]any{"Error": map[string]string{"Code": code, "Message": msg}})
}
