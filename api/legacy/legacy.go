// Package legacy serves the original tool's web API (social-auto-upload's
// sau_backend, which seed 000 describes and its Vue frontend sau_frontend
// calls) at the root paths beside /api/v1. Every route is a thin translation
// onto the application core (pkg/app), on the same accounts, files, tasks
// and queue as /api/v1: a /postVideo becomes the same publish tasks as POST
// /api/v1/publish, a /login the same login task. Shapes and messages follow
// the original ({code, msg, data}, positional rows); where it crashed or
// hung, these routes answer with a clear error instead.
package legacy

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"fanout/api/httpx"
	"fanout/pkg/app"
	"fanout/pkg/job"
	"fanout/pkg/platform"
)

// Config tunes the legacy routes.
type Config struct {
	// ValidAccountsWait bounds how long /getValidAccounts waits for the
	// cookie checks it queued before answering with what it has.
	ValidAccountsWait time.Duration
	// LoginQRWait bounds how long the SSE /login waits for the login task's
	// first QR code before it ends the stream with a failure.
	LoginQRWait time.Duration
	// LoginLinger keeps the SSE /login open this long after its last frame:
	// the original frontend closes the stream itself about a second after
	// "200" and shows a connection error if the server closes first.
	LoginLinger time.Duration
}

type handler struct {
	app *app.App
	log *slog.Logger
	cfg Config
}

// routeTable is the original's routes: method, path, handler.
var routeTable = []struct {
	method, path string
	h            func(*handler, *gin.Context)
}{
	{"GET", "/login", (*handler).login},
	{"POST", "/upload", (*handler).upload},
	{"POST", "/uploadSave", (*handler).uploadSave},
	{"GET", "/getFiles", (*handler).getFiles},
	{"GET", "/getFile", (*handler).getFile},
	{"GET", "/deleteFile", (*handler).deleteFile},
	{"GET", "/download/*file_path", (*handler).download},
	{"GET", "/getAccounts", (*handler).getAccounts},
	{"GET", "/getValidAccounts", (*handler).getValidAccounts},
	{"POST", "/updateUserinfo", (*handler).updateUserinfo},
	{"GET", "/deleteAccount", (*handler).deleteAccount},
	{"POST", "/postVideo", (*handler).postVideo},
	{"POST", "/postVideoBatch", (*handler).postVideoBatch},
	{"GET", "/getPlatformStats", (*handler).platformStats},
	{"GET", "/getFileStats", (*handler).fileStats},
	{"POST", "/uploadCookie", (*handler).uploadCookie},
	{"GET", "/downloadCookie", (*handler).downloadCookie},
}

// linkRoutes are the GET routes the original frontend opens without a
// script (EventSource, <video>, links); they take ?token= or the cookie.
var linkRoutes = []string{"/login", "/getFile", "/download/*file_path", "/downloadCookie"}

// paths are the legacy routes' paths, whose errors use the legacy envelope.
var paths = func() map[string]bool {
	m := map[string]bool{}
	for _, rt := range routeTable {
		m[rt.path] = true
	}
	return m
}()

// Owns reports whether a request's route is one of the legacy routes, so a
// server can answer its panics in the legacy envelope.
func Owns(c *gin.Context) bool { return paths[c.FullPath()] }

// Register mounts the original's routes on r. Every call authenticated by
// the Authorization header also sets the session cookie, which the
// frontend's EventSource and links then carry.
func Register(r gin.IRouter, a *app.App, log *slog.Logger, cfg Config) {
	if cfg.ValidAccountsWait <= 0 {
		cfg.ValidAccountsWait = 5 * time.Second
	}
	if cfg.LoginQRWait <= 0 {
		cfg.LoginQRWait = 60 * time.Second
	}
	if cfg.LoginLinger <= 0 {
		cfg.LoginLinger = 2 * time.Second
	}
	h := &handler{app: a, log: log, cfg: cfg}
	g := r.Group("", httpx.Auth(a, Fail(log), linkRoutes...), httpx.SetSessionCookie(a, log))
	for _, rt := range routeTable {
		f := rt.h
		g.Handle(rt.method, rt.path, func(c *gin.Context) { f(h, c) })
	}
}

// sauType is one of the original's platform type numbers.
type sauType struct {
	Num   int
	Name  platform.Name
	Label string
}

// sauTypes are the original's type numbers 1–4 (the only ones its web app
// wired) plus ours for the platforms it publishes to only from its CLI:
// 5 TikTok, 6 Bilibili, 7 YouTube, 8 Baijiahao, 9 Weibo. The numbers are
// part of the API and never change.
var sauTypes = []sauType{
	{1, platform.Xiaohongshu, "小红书"},
	{2, platform.Channels, "视频号"},
	{3, platform.Douyin, "抖音"},
	{4, platform.Kuaishou, "快手"},
	{5, platform.TikTok, "TikTok"},
	{6, platform.Bilibili, "B站"},
	{7, platform.YouTube, "YouTube"},
	{8, platform.Baijiahao, "百家号"},
	{9, platform.Weibo, "微博"},
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

// ok answers 200 with data; an empty msg is null, as the original's.
func ok(c *gin.Context, msg string, data any) {
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
	"options.product_title", "productTitle", "options.category", "category", "options.draft", "isDraft",
)

// Fail writes err in the legacy envelope. A *job.Error shows its message
// (and its fields); anything else is logged and shown as a 500.
func Fail(log *slog.Logger) httpx.Fail {
	return func(c *gin.Context, err error) {
		if httpx.ClientGone(c, err) {
			return
		}
		e := httpx.DomainError(c, log, err, "服务器内部错误")
		status := httpx.Status(e.Code)
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
}

func (h *handler) fail(c *gin.Context, err error) { Fail(h.log)(c, err) }

// notFound replaces a not-found error with the original's message.
func notFound(err error, msg string) error {
	if job.ErrorCode(err) == job.ENotFound {
		return sauErr(job.ENotFound, "%s", msg)
	}
	return err
}

// parseRef reads an account or file id as the legacy routes take it: the
// integer id the legacy listings show, or the /api/v1 UUID.
func parseRef(raw string) (app.Ref, bool) {
	raw = strings.TrimSpace(raw)
	if n, err := strconv.ParseInt(raw, 10, 64); err == nil && n > 0 {
		return app.Ref{Seq: n}, true
	}
	if u, err := uuid.Parse(raw); err == nil {
		return app.Ref{UUID: u.String()}, true
	}
	return app.Ref{}, false
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

// asJobError returns err's *job.Error, if it is one.
func asJobError(err error) (*job.Error, bool) {
	var e *job.Error
	return e, errors.As(err, &e)
}
