// Package live serves the Douyin live assistant's routes (seed 001) in that
// seed's own envelope — {"success": true, "data": …} or {"success": false,
// "detail": "…"} with 400/401/500 — because a frontend already speaks it.
// It is a thin translation onto the assistant's service (pkg/live). Tokens
// are Fanout's API tokens; none is bound to a 抖音号.
package live

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"fanout/api/httpx"
	"fanout/pkg/job"
	assistant "fanout/pkg/live"
	"fanout/pkg/live/webcast"
)

// Service is what the live routes need (*assistant.Service).
type Service interface {
	DemoMode() bool
	Query(ctx context.Context, douyinID string) (webcast.User, error)
	UserInfo(ctx context.Context, douyinID string) (webcast.User, error)
	CreateInfo(ctx context.Context, douyinID string) (webcast.CreateInfo, error)
	Status(ctx context.Context, douyinID string) (assistant.Room, bool, error)
	PrepareTencent(ctx context.Context, douyinID string) (string, error)
	Create(ctx context.Context, douyinID, title, coverURI string) (assistant.Opened, error)
	CloseLive(ctx context.Context, douyinID string) error
	Schedule(ctx context.Context, douyinID string) (assistant.Schedule, error)
	SetSchedule(ctx context.Context, sc assistant.Schedule) error
	Proxy(ctx context.Context, douyinID string) (string, error)
	SetProxy(ctx context.Context, douyinID string, proxy *string) error
	StartLogin(ctx context.Context, accountID string) (assistant.Login, error)
	Login(ctx context.Context, id string) (assistant.Login, error)
}

// DemoToken is the seed's test token, accepted only in demo mode.
const DemoToken = "test_token"

// Seed messages that are not the service's.
const (
	detailBadToken = "无效的Token"
	detailInternal = "服务器内部错误"
	detailBadBody  = "请求体格式错误"
	// Not the seed's: the database or Redis is down; try again.
	detailUnavailable = "服务暂不可用，请稍后重试"
)

type handler struct {
	svc  Service
	auth httpx.Authenticator
	log  *slog.Logger
}

// Register mounts the live assistant's routes on r. With svc nil (the
// assistant not configured) every route answers 500 直播功能未启用.
func Register(r gin.IRouter, svc Service, auth httpx.Authenticator, log *slog.Logger) {
	h := &handler{svc: svc, auth: auth, log: log}
	r.GET("/auth/verify-token", h.authenticate, func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"success": true}) })
	g := r.Group("/douyin", h.authenticate)
	g.POST("/query", h.query)
	g.GET("/user/info", h.userInfo)
	g.GET("/live/create-info", h.createInfo)
	g.GET("/status/live", h.status)
	g.POST("/live/prepare-tencent", h.prepareTencent)
	g.POST("/live/create", h.create)
	g.POST("/live/close", h.close)
	g.GET("/schedule", h.getSchedule)
	g.PUT("/schedule", h.putSchedule)
	g.GET("/proxy", h.getProxy)
	g.PUT("/proxy", h.putProxy)
	// Not in the seed: the companion QR login that makes a 抖音号 usable.
	g.POST("/login", h.startLogin)
	g.GET("/login", h.getLogin)
}

func detail(c *gin.Context, status int, msg string) {
	c.AbortWithStatusJSON(status, gin.H{"success": false, "detail": msg})
}

// fail answers a refusal with 400 and its message; anything else is
// ours: logged with the request id, shown as a plain 500.
func (h *handler) fail(c *gin.Context, err error) {
	if httpx.ClientGone(c, err) {
		return
	}
	if ue, ok := assistant.IsUserError(err); ok {
		status := ue.Status
		if status == 0 {
			status = http.StatusBadRequest
		}
		detail(c, status, ue.Msg)
		return
	}
	var pe *webcast.ProxyError
	if errors.As(err, &pe) { // a path that did not translate it: still the proxy's fault
		detail(c, http.StatusBadGateway, "代理连接失败: "+pe.Proxy)
		return
	}
	switch job.ErrorCode(err) {
	case job.EUnavailable:
		detail(c, http.StatusServiceUnavailable, detailUnavailable)
		return
	case job.EInvalid:
		detail(c, http.StatusBadRequest, assistant.ErrBadText.Msg)
		return
	}
	h.log.Error("live request failed", "request_id", c.GetString("request_id"), "path", c.FullPath(), "err", err)
	detail(c, http.StatusInternalServerError, detailInternal)
}

func data(c *gin.Context, v any) { c.JSON(http.StatusOK, gin.H{"success": true, "data": v}) }

// authenticate checks the bearer token like /api/v1 does; in demo mode the
// seed's test token passes too.
func (h *handler) authenticate(c *gin.Context) {
	if h.svc == nil {
		detail(c, http.StatusInternalServerError, "直播功能未启用")
		return
	}
	token, ok := httpx.BearerToken(c)
	if !ok {
		c.Header("WWW-Authenticate", `Bearer realm="fanout"`)
		detail(c, http.StatusUnauthorized, detailBadToken)
		return
	}
	if token == DemoToken && h.svc.DemoMode() {
		c.Next()
		return
	}
	if err := h.auth.Authenticate(c.Request.Context(), token); err != nil {
		if job.ErrorCode(err) != job.EUnauthorized {
			h.fail(c, err)
			return
		}
		c.Header("WWW-Authenticate", `Bearer realm="fanout", error="invalid_token"`)
		detail(c, http.StatusUnauthorized, detailBadToken)
		return
	}
	c.Next()
}

// flexID is a 抖音号 in a JSON body: a string, or a number a frontend sent
// without quotes.
type flexID string

func (f *flexID) UnmarshalJSON(b []byte) error {
	var v any
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return err
	}
	switch x := v.(type) {
	case string:
		*f = flexID(x)
	case json.Number:
		*f = flexID(x.String())
	case nil:
		*f = ""
	default:
		return errors.New("douyin_id must be a string")
	}
	return nil
}

// body decodes a JSON body into v. An empty body decodes as {} (so a
// missing douyin_id is reported as such); malformed JSON is a 400.
func (h *handler) body(c *gin.Context, v any) bool {
	b, err := io.ReadAll(io.LimitReader(c.Request.Body, 64<<10))
	if err != nil {
		h.fail(c, err)
		return false
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return true
	}
	if err := json.Unmarshal(b, v); err != nil {
		detail(c, http.StatusBadRequest, detailBadBody)
		return false
	}
	return true
}

// id reads douyin_id (query for GET, body for the others) and checks it
// is there.
func (h *handler) id(c *gin.Context, fromBody flexID) (string, bool) {
	raw := string(fromBody)
	if c.Request.Method == http.MethodGet {
		raw = c.Query("douyin_id")
	}
	id, err := assistant.CheckID(raw)
	if err != nil {
		h.fail(c, err)
		return "", false
	}
	return id, true
}

type idBody struct {
	DouyinID flexID `json:"douyin_id"`
}

// bodyID decodes a body that carries at least douyin_id.
func (h *handler) bodyID(c *gin.Context) (string, bool) {
	var b idBody
	if !h.body(c, &b) {
		return "", false
	}
	return h.id(c, b.DouyinID)
}

func userData(u webcast.User) gin.H { return gin.H{"nickname": u.Nickname, "signature": u.Signature} }

func (h *handler) query(c *gin.Context) {
	id, ok := h.bodyID(c)
	if !ok {
		return
	}
	u, err := h.svc.Query(c.Request.Context(), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	data(c, userData(u))
}

func (h *handler) userInfo(c *gin.Context) {
	id, ok := h.id(c, "")
	if !ok {
		return
	}
	u, err := h.svc.UserInfo(c.Request.Context(), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	data(c, userData(u))
}

func (h *handler) createInfo(c *gin.Context) {
	id, ok := h.id(c, "")
	if !ok {
		return
	}
	info, err := h.svc.CreateInfo(c.Request.Context(), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	data(c, gin.H{"title": info.Title, "cover": gin.H{"uri": info.CoverURI}})
}

func (h *handler) status(c *gin.Context) {
	id, ok := h.id(c, "")
	if !ok {
		return
	}
	room, live, err := h.svc.Status(c.Request.Context(), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	var roomID *string
	if live {
		roomID = &room.RoomID
	}
	c.JSON(http.StatusOK, gin.H{"success": true, "is_live": live, "open_room_id": roomID})
}

func (h *handler) prepareTencent(c *gin.Context) {
	id, ok := h.bodyID(c)
	if !ok {
		return
	}
	push, err := h.svc.PrepareTencent(c.Request.Context(), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	data(c, gin.H{"push_url_a": push})
}

func (h *handler) create(c *gin.Context) {
	var b struct {
		DouyinID flexID  `json:"douyin_id"`
		Title    *string `json:"title"`
		CoverURI *string `json:"cover_uri"`
	}
	if !h.body(c, &b) {
		return
	}
	id, ok := h.id(c, b.DouyinID)
	if !ok {
		return
	}
	if b.Title == nil || b.CoverURI == nil {
		h.fail(c, assistant.ErrMissingParams)
		return
	}
	o, err := h.svc.Create(c.Request.Context(), id, *b.Title, *b.CoverURI)
	if err != nil {
		h.fail(c, err)
		return
	}
	data(c, gin.H{"open_room_id": o.RoomID, "user_obs_push_url": o.PushURL, "mode": o.Mode, "tencent_task_status": o.TencentTaskStatus})
}

func (h *handler) close(c *gin.Context) {
	id, ok := h.bodyID(c)
	if !ok {
		return
	}
	if err := h.svc.CloseLive(c.Request.Context(), id); err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"success": true, "detail": "直播已关闭"})
}

func unixOrNil(t *time.Time) *int64 {
	if t == nil {
		return nil
	}
	u := t.Unix()
	return &u
}

func (h *handler) getSchedule(c *gin.Context) {
	id, ok := h.id(c, "")
	if !ok {
		return
	}
	sc, err := h.svc.Schedule(c.Request.Context(), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"success": true,
		"scheduled_start_enabled": sc.StartEnabled, "scheduled_start_time": unixOrNil(sc.StartAt),
		"scheduled_stop_enabled": sc.StopEnabled, "scheduled_stop_time": unixOrNil(sc.StopAt)})
}

// unixTime reads a Unix-seconds timestamp that may be null; a value that is
// not a sane number is bad.
func unixTime(n *json.Number, bad error) (*time.Time, error) {
	if n == nil {
		return nil, nil
	}
	f, err := n.Float64()
	if err != nil || f < 0 || f > 1e11 {
		return nil, bad
	}
	t := time.Unix(int64(f), 0)
	return &t, nil
}

func (h *handler) putSchedule(c *gin.Context) {
	var b struct {
		DouyinID     flexID       `json:"douyin_id"`
		StartEnabled bool         `json:"start_enabled"`
		StartTime    *json.Number `json:"start_time"`
		StopEnabled  bool         `json:"stop_enabled"`
		StopTime     *json.Number `json:"stop_time"`
	}
	if !h.body(c, &b) {
		return
	}
	id, ok := h.id(c, b.DouyinID)
	if !ok {
		return
	}
	start, err := unixTime(b.StartTime, assistant.ErrBadStartTime)
	if err != nil {
		h.fail(c, err)
		return
	}
	stop, err := unixTime(b.StopTime, assistant.ErrBadStopTime)
	if err != nil {
		h.fail(c, err)
		return
	}
	err = h.svc.SetSchedule(c.Request.Context(), assistant.Schedule{DouyinID: id,
		StartEnabled: b.StartEnabled, StartAt: start, StopEnabled: b.StopEnabled, StopAt: stop})
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"success": true})
}

func (h *handler) getProxy(c *gin.Context) {
	id, ok := h.id(c, "")
	if !ok {
		return
	}
	p, err := h.svc.Proxy(c.Request.Context(), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	var shown *string
	if p != "" {
		shown = &p
	}
	data(c, gin.H{"proxy_ip": shown})
}

func (h *handler) putProxy(c *gin.Context) {
	var b struct {
		DouyinID flexID          `json:"douyin_id"`
		ProxyIP  json.RawMessage `json:"proxy_ip"`
	}
	if !h.body(c, &b) {
		return
	}
	id, ok := h.id(c, b.DouyinID)
	if !ok {
		return
	}
	if len(b.ProxyIP) == 0 {
		h.fail(c, assistant.ErrMissingParams)
		return
	}
	var proxy *string
	if err := json.Unmarshal(b.ProxyIP, &proxy); err != nil {
		h.fail(c, assistant.ErrBadProxy)
		return
	}
	if err := h.svc.SetProxy(c.Request.Context(), id, proxy); err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"success": true})
}

func (h *handler) startLogin(c *gin.Context) {
	var b struct {
		AccountID string `json:"account_id"`
	}
	if !h.body(c, &b) {
		return
	}
	l, err := h.svc.StartLogin(c.Request.Context(), strings.TrimSpace(b.AccountID))
	if err != nil {
		h.fail(c, err)
		return
	}
	data(c, l)
}

func (h *handler) getLogin(c *gin.Context) {
	l, err := h.svc.Login(c.Request.Context(), c.Query("login_id"))
	if err != nil {
		h.fail(c, err)
		return
	}
	data(c, l)
}
