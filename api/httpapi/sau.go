package httpapi

// The original tool's web API (social-auto-upload's sau_backend, which the
// seed document describes and its Vue frontend sau_frontend calls), served at
// the root paths beside /api/v1. Every route is a thin translation onto the
// same accounts, files, tasks and queue as /api/v1: a /postVideo becomes the
// same publish tasks as POST /api/v1/publish, a /login the same login task.
// Shapes and messages follow the original; where it crashed or hung, these
// routes answer with a clear error instead.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"fanout/pkg/job"
	"fanout/pkg/platform"
)

// sauRouteTable is the original's routes: method, path, handler.
var sauRouteTable = []struct {
	method, path string
	h            func(*Server, *gin.Context)
}{
	{"GET", "/login", (*Server).sauLogin},
	{"POST", "/upload", (*Server).sauUpload},
	{"POST", "/uploadSave", (*Server).sauUploadSave},
	{"GET", "/getFiles", (*Server).sauGetFiles},
	{"GET", "/getFile", (*Server).sauGetFile},
	{"GET", "/deleteFile", (*Server).sauDeleteFile},
	{"GET", "/download/*file_path", (*Server).sauDownload},
	{"GET", "/getAccounts", (*Server).sauGetAccounts},
	{"GET", "/getValidAccounts", (*Server).sauGetValidAccounts},
	{"POST", "/updateUserinfo", (*Server).sauUpdateUserinfo},
	{"GET", "/deleteAccount", (*Server).sauDeleteAccount},
	{"POST", "/postVideo", (*Server).sauPostVideo},
	{"POST", "/postVideoBatch", (*Server).sauPostVideoBatch},
	{"GET", "/getPlatformStats", (*Server).sauPlatformStats},
	{"GET", "/getFileStats", (*Server).sauFileStats},
	{"POST", "/uploadCookie", (*Server).sauUploadCookie},
	{"GET", "/downloadCookie", (*Server).sauDownloadCookie},
}

// sauPaths are the legacy routes' paths, whose errors (auth included) use
// the legacy envelope.
var sauPaths = func() map[string]bool {
	m := map[string]bool{}
	for _, rt := range sauRouteTable {
		m[rt.path] = true
	}
	return m
}()

func (s *Server) sauRoutes(r *gin.Engine) {
	g := r.Group("", s.auth, s.setSessionCookie)
	for _, rt := range sauRouteTable {
		h := rt.h
		g.Handle(rt.method, rt.path, func(c *gin.Context) { h(s, c) })
	}
}

// sauType is one of the original's platform type numbers.
type sauType struct {
	Num   int
	Name  platform.Name
	Label string
}

// sauTypes are the original's type numbers 1–4 plus 5 for TikTok (the
// original's web app wired only 1–4). The numbers are part of its API.
var sauTypes = []sauType{
	{1, platform.Xiaohongshu, "小红书"},
	{2, platform.Channels, "视频号"},
	{3, platform.Douyin, "抖音"},
	{4, platform.Kuaishou, "快手"},
	{5, platform.TikTok, "TikTok"},
}

func sauTypeOf(n platform.Name) (sauType, bool) {
	for _, t := range sauTypes {
		if t.Name == n {
			return t, true
		}
	}
	return sauType{}, false
}

// sauPlatform resolves a type number to a platform this server serves. A
// number outside the table is the original's 不支持的平台类型; a known
// platform whose driver is not enabled says so.
func sauPlatform(raw string) (sauType, error) {
	n, err := strconv.Atoi(strings.TrimSpace(raw))
	if err == nil {
		for _, t := range sauTypes {
			if t.Num == n {
				if !t.Name.Valid() {
					return t, sauErr(job.EInvalid, "不支持的平台类型: %d（%s 尚未在本服务启用）", n, t.Label)
				}
				return t, nil
			}
		}
	}
	return sauType{}, sauErr(job.EInvalid, "不支持的平台类型: %s", raw)
}

// sauBody is the original's envelope. HTTP status and code are equal.
type sauBody struct {
	Code int     `json:"code"`
	Msg  *string `json:"msg"`
	Data any     `json:"data"`
}

// sauOK answers 200 with data; an empty msg is null, as the original's.
func sauOK(c *gin.Context, msg string, data any) {
	var m *string
	if msg != "" {
		m = &msg
	}
	c.JSON(http.StatusOK, sauBody{Code: http.StatusOK, Msg: m, Data: data})
}

// sauErr is a legacy-route error with the original's wording.
func sauErr(code, format string, args ...any) *job.Error {
	return job.Errorf(code, format, args...)
}

// sauFields renames /api/v1 field names in errors from the shared publish
// validation to the names the legacy request used.
var sauFields = strings.NewReplacer(
	"file_ids", "fileList", "account_ids", "accountList", "cover_file_id", "thumbnail",
	"schedule.daily_times", "dailyTimes", "schedule.videos_per_day", "videosPerDay",
	"schedule.start_days", "startDays", "options.product_link", "productLink",
	"options.product_title", "productTitle", "options.category", "category",
)

// sauFail writes err in the legacy envelope. A *job.Error shows its message
// (and its fields); anything else is logged and shown as a 500.
func (s *Server) sauFail(c *gin.Context, err error) {
	if errors.Is(err, context.Canceled) && c.Request.Context().Err() != nil {
		c.Abort()
		return
	}
	var e *job.Error
	if !errors.As(err, &e) {
		s.log.Error("request failed", "request_id", c.GetString("request_id"), "path", c.FullPath(), "err", err)
		e = &job.Error{Code: job.EInternal, Message: "服务器内部错误"}
	}
	status, ok := statusOf[e.Code]
	if !ok {
		status = http.StatusBadRequest
	}
	msg := e.Message
	if len(e.Fields) > 0 {
		parts := make([]string, len(e.Fields))
		for i, f := range e.Fields {
			parts[i] = sauFields.Replace(f.Field) + ": " + f.Message
		}
		if msg == "invalid request" {
			msg = "参数错误"
		}
		msg += ": " + strings.Join(parts, "; ")
	}
	c.AbortWithStatusJSON(status, sauBody{Code: status, Msg: &msg, Data: nil})
}

// setSessionCookie stores the token of a request that authenticated with the
// Authorization header in an HttpOnly, SameSite=Strict cookie, so that the
// same-origin EventSource and links the original frontend opens (which
// cannot send the header) are authorized too. See linkRoutes.
func (s *Server) setSessionCookie(c *gin.Context) {
	tok := c.GetString("auth_header_token")
	if tok == "" {
		c.Next()
		return
	}
	if old, err := c.Cookie(sessionCookie); err != nil || old != tok {
		http.SetCookie(c.Writer, &http.Cookie{Name: sessionCookie, Value: tok, Path: "/", HttpOnly: true,
			SameSite: http.SameSiteStrictMode, Secure: c.Request.TLS != nil || c.GetHeader("X-Forwarded-Proto") == "https"})
	}
	c.Next()
}

// sauID reads an account or file id as the legacy routes take it: the
// integer id the legacy listings show, or the /api/v1 UUID.
type sauID struct {
	seq  int64
	uuid string
}

func parseSauID(raw string) (sauID, bool) {
	raw = strings.TrimSpace(raw)
	if n, err := strconv.ParseInt(raw, 10, 64); err == nil && n > 0 {
		return sauID{seq: n}, true
	}
	if u, err := uuid.Parse(raw); err == nil {
		return sauID{uuid: u.String()}, true
	}
	return sauID{}, false
}

func (s *Server) sauAccount(ctx context.Context, id sauID) (job.SeqAccount, error) {
	if id.uuid != "" {
		return s.store.SeqAccountByID(ctx, id.uuid)
	}
	return s.store.SeqAccount(ctx, id.seq)
}

func (s *Server) sauFile(ctx context.Context, id sauID) (job.SeqFile, error) {
	if id.uuid != "" {
		return s.store.SeqFileByID(ctx, id.uuid)
	}
	return s.store.SeqFile(ctx, id.seq)
}

// uuidPrefix returns the UUID a legacy file or cookie path starts with: the
// original's paths were "<uuid>_<name>" and "<uuid>.json", ours are
// "<uuid>.<ext>" and "<uuid>.json". Only the last path element counts and it
// must start with a UUID, so no path can reach anything but a row.
func uuidPrefix(p string) (string, bool) {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		p = p[i+1:]
	}
	if len(p) < 36 {
		return "", false
	}
	u, err := uuid.Parse(p[:36])
	if err != nil || (len(p) > 36 && p[36] != '.' && p[36] != '_') {
		return "", false
	}
	return u.String(), true
}

// cookieFilePath is an account's filePath in the legacy rows: the name its
// cookie file had in the original, and what /postVideo's accountList and
// /downloadCookie send back.
func cookieFilePath(a job.Account) string { return a.ID + ".json" }

func fmtMB(bytes int64) float64 {
	v, _ := strconv.ParseFloat(fmt.Sprintf("%.2f", float64(bytes)/(1<<20)), 64)
	return v
}

// failAny writes err in the envelope of the route's API: the legacy
// {code, msg, data} on the original's routes, the /api/v1 one elsewhere.
func (s *Server) failAny(c *gin.Context, err error) {
	if sauPaths[c.FullPath()] {
		s.sauFail(c, err)
		return
	}
	s.fail(c, err)
}
