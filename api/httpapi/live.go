package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"fanout/pkg/live"
	"fanout/pkg/live/webcast"
	"fanout/pkg/secret"
)

// The Douyin live assistant's routes (seed 001). They speak the seed's own
// envelope — {"success": true, "data": …} or {"success": false, "detail":
// "…"} with 400/401/500 — not /api/v1's, because a frontend already speaks
// it. Tokens are Fanout's API tokens; none is bound to a 抖音号.

// LiveService is what the live routes need (*live.Service).
type LiveService interface {
	DemoMode() bool
	Query(ctx context.Context, douyinID string) (webcast.User, error)
	UserInfo(ctx context.Context, douyinID string) (webcast.User, error)
	CreateInfo(ctx context.Context, douyinID string) (webcast.CreateInfo, error)
	Status(ctx context.Context, douyinID string) (live.Room, bool, error)
	PrepareTencent(ctx context.Context, douyinID string) (string, error)
	Create(ctx context.Context, douyinID, title, coverURI string) (live.Opened, error)
	CloseLive(ctx context.Context, douyinID string) error
	Schedule(ctx context.Context, douyinID string) (live.Schedule, error)
	SetSchedule(ctx context.Context, sc live.Schedule) error
	Proxy(ctx context.Context, douyinID string) (string, error)
	SetProxy(ctx context.Context, douyinID string, proxy *string) error
	StartLogin(ctx context.Context, accountID string) (live.Login, error)
	Login(ctx context.Context, id string) (live.Login, error)
}

// DemoToken is the seed's test token, accepted only in demo mode.
const DemoToken = "test_token"

// Seed messages that are not the service's.
const (
	detailBadToken = "无效的Token"
	detailInternal = "服务器内部错误"
	detailBadBody  = "请求体格式错误"
)

func (s *Server) liveRoutes(r *gin.Engine) {
	r.GET("/auth/verify-token", s.liveAuth, func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"success": true}) })
	g := r.Group("/douyin", s.liveAuth)
	g.POST("/query", s.liveQuery)
	g.GET("/user/info", s.liveUserInfo)
	g.GET("/live/create-info", s.liveCreateInfo)
	g.GET("/status/live", s.liveStatus)
	g.POST("/live/prepare-tencent", s.livePrepareTencent)
	g.POST("/live/create", s.liveCreate)
	g.POST("/live/close", s.liveClose)
	g.GET("/schedule", s.liveGetSchedule)
	g.PUT("/schedule", s.livePutSchedule)
	g.GET("/proxy", s.liveGetProxy)
	g.PUT("/proxy", s.livePutProxy)
	// Not in the seed: the companion QR login that makes a 抖音号 usable.
	g.POST("/login", s.liveStartLogin)
	g.GET("/login", s.liveGetLogin)
}

func liveDetail(c *gin.Context, status int, detail string) {
	c.AbortWithStatusJSON(status, gin.H{"success": false, "detail": detail})
}

// liveFail answers a refusal with 400 and its message; anything else is
// ours: logged with the request id, shown as a plain 500.
func (s *Server) liveFail(c *gin.Context, err error) {
	if errors.Is(err, context.Canceled) && c.Request.Context().Err() != nil {
		c.Abort()
		return
	}
	if ue, ok := live.IsUserError(err); ok {
		liveDetail(c, http.StatusBadRequest, ue.Msg)
		return
	}
	s.log.Error("live request failed", "request_id", c.GetString("request_id"), "path", c.FullPath(), "err", err)
	liveDetail(c, http.StatusInternalServerError, detailInternal)
}

func liveData(c *gin.Context, data any) { c.JSON(http.StatusOK, gin.H{"success": true, "data": data}) }

// liveAuth checks the bearer token like /api/v1 does; in demo mode the
// seed's test token passes too.
func (s *Server) liveAuth(c *gin.Context) {
	if s.cfg.Live == nil {
		liveDetail(c, http.StatusInternalServerError, "直播功能未启用")
		return
	}
	token, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
	token = strings.TrimSpace(token)
	if !ok || token == "" {
		c.Header("WWW-Authenticate", `Bearer realm="fanout"`)
		liveDetail(c, http.StatusUnauthorized, detailBadToken)
		return
	}
	if token == DemoToken && s.cfg.Live.DemoMode() {
		c.Next()
		return
	}
	valid, err := s.store.TokenValid(c.Request.Context(), secret.HashToken(token))
	if err != nil {
		s.liveFail(c, err)
		return
	}
	if !valid {
		c.Header("WWW-Authenticate", `Bearer realm="fanout", error="invalid_token"`)
		liveDetail(c, http.StatusUnauthorized, detailBadToken)
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

// liveBody decodes a JSON body into v. An empty body decodes as {} (so a
// missing douyin_id is reported as such); malformed JSON is a 400.
func (s *Server) liveBody(c *gin.Context, v any) bool {
	b, err := io.ReadAll(io.LimitReader(c.Request.Body, 64<<10))
	if err != nil {
		s.liveFail(c, err)
		return false
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return true
	}
	if err := json.Unmarshal(b, v); err != nil {
		liveDetail(c, http.StatusBadRequest, detailBadBody)
		return false
	}
	return true
}

// liveID reads douyin_id (query for GET, body for the others) and checks it
// is there.
func (s *Server) liveID(c *gin.Context, fromBody flexID) (string, bool) {
	raw := string(fromBody)
	if c.Request.Method == http.MethodGet {
		raw = c.Query("douyin_id")
	}
	id, err := live.CheckID(raw)
	if err != nil {
		s.liveFail(c, err)
		return "", false
	}
	return id, true
}

type idBody struct {
	DouyinID flexID `json:"douyin_id"`
}

// liveBodyID decodes a body that carries at least douyin_id.
func (s *Server) liveBodyID(c *gin.Context) (string, bool) {
	var b idBody
	if !s.liveBody(c, &b) {
		return "", false
	}
	return s.liveID(c, b.DouyinID)
}

func userData(u webcast.User) gin.H { return gin.H{"nickname": u.Nickname, "signature": u.Signature} }

func (s *Server) liveQuery(c *gin.Context) {
	id, ok := s.liveBodyID(c)
	if !ok {
		return
	}
	u, err := s.cfg.Live.Query(c.Request.Context(), id)
	if err != nil {
		s.liveFail(c, err)
		return
	}
	liveData(c, userData(u))
}

func (s *Server) liveUserInfo(c *gin.Context) {
	id, ok := s.liveID(c, "")
	if !ok {
		return
	}
	u, err := s.cfg.Live.UserInfo(c.Request.Context(), id)
	if err != nil {
		s.liveFail(c, err)
		return
	}
	liveData(c, userData(u))
}

func (s *Server) liveCreateInfo(c *gin.Context) {
	id, ok := s.liveID(c, "")
	if !ok {
		return
	}
	info, err := s.cfg.Live.CreateInfo(c.Request.Context(), id)
	if err != nil {
		s.liveFail(c, err)
		return
	}
	liveData(c, gin.H{"title": info.Title, "cover": gin.H{"uri": info.CoverURI}})
}

func (s *Server) liveStatus(c *gin.Context) {
	id, ok := s.liveID(c, "")
	if !ok {
		return
	}
	room, live, err := s.cfg.Live.Status(c.Request.Context(), id)
	if err != nil {
		s.liveFail(c, err)
		return
	}
	var roomID *string
	if live {
		roomID = &room.RoomID
	}
	c.JSON(http.StatusOK, gin.H{"success": true, "is_live": live, "open_room_id": roomID})
}

func (s *Server) livePrepareTencent(c *gin.Context) {
	id, ok := s.liveBodyID(c)
	if !ok {
		return
	}
	push, err := s.cfg.Live.PrepareTencent(c.Request.Context(), id)
	if err != nil {
		s.liveFail(c, err)
		return
	}
	liveData(c, gin.H{"push_url_a": push})
}

func (s *Server) liveCreate(c *gin.Context) {
	var b struct {
		DouyinID flexID  `json:"douyin_id"`
		Title    *string `json:"title"`
		CoverURI *string `json:"cover_uri"`
	}
	if !s.liveBody(c, &b) {
		return
	}
	id, ok := s.liveID(c, b.DouyinID)
	if !ok {
		return
	}
	if b.Title == nil || b.CoverURI == nil {
		s.liveFail(c, live.ErrMissingParams)
		return
	}
	o, err := s.cfg.Live.Create(c.Request.Context(), id, *b.Title, *b.CoverURI)
	if err != nil {
		s.liveFail(c, err)
		return
	}
	liveData(c, gin.H{"open_room_id": o.RoomID, "user_obs_push_url": o.PushURL, "mode": o.Mode, "tencent_task_status": o.TencentTaskStatus})
}

func (s *Server) liveClose(c *gin.Context) {
	id, ok := s.liveBodyID(c)
	if !ok {
		return
	}
	if err := s.cfg.Live.CloseLive(c.Request.Context(), id); err != nil {
		s.liveFail(c, err)
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

func (s *Server) liveGetSchedule(c *gin.Context) {
	id, ok := s.liveID(c, "")
	if !ok {
		return
	}
	sc, err := s.cfg.Live.Schedule(c.Request.Context(), id)
	if err != nil {
		s.liveFail(c, err)
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

func (s *Server) livePutSchedule(c *gin.Context) {
	var b struct {
		DouyinID     flexID       `json:"douyin_id"`
		StartEnabled bool         `json:"start_enabled"`
		StartTime    *json.Number `json:"start_time"`
		StopEnabled  bool         `json:"stop_enabled"`
		StopTime     *json.Number `json:"stop_time"`
	}
	if !s.liveBody(c, &b) {
		return
	}
	id, ok := s.liveID(c, b.DouyinID)
	if !ok {
		return
	}
	start, err := unixTime(b.StartTime, live.ErrBadStartTime)
	if err != nil {
		s.liveFail(c, err)
		return
	}
	stop, err := unixTime(b.StopTime, live.ErrBadStopTime)
	if err != nil {
		s.liveFail(c, err)
		return
	}
	err = s.cfg.Live.SetSchedule(c.Request.Context(), live.Schedule{DouyinID: id,
		StartEnabled: b.StartEnabled, StartAt: start, StopEnabled: b.StopEnabled, StopAt: stop})
	if err != nil {
		s.liveFail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"success": true})
}

func (s *Server) liveGetProxy(c *gin.Context) {
	id, ok := s.liveID(c, "")
	if !ok {
		return
	}
	p, err := s.cfg.Live.Proxy(c.Request.Context(), id)
	if err != nil {
		s.liveFail(c, err)
		return
	}
	var shown *string
	if p != "" {
		shown = &p
	}
	liveData(c, gin.H{"proxy_ip": shown})
}

func (s *Server) livePutProxy(c *gin.Context) {
	var b struct {
		DouyinID flexID          `json:"douyin_id"`
		ProxyIP  json.RawMessage `json:"proxy_ip"`
	}
	if !s.liveBody(c, &b) {
		return
	}
	id, ok := s.liveID(c, b.DouyinID)
	if !ok {
		return
	}
	if len(b.ProxyIP) == 0 {
		s.liveFail(c, live.ErrMissingParams)
		return
	}
	var proxy *string
	if err := json.Unmarshal(b.ProxyIP, &proxy); err != nil {
		s.liveFail(c, live.ErrBadProxy)
		return
	}
	if err := s.cfg.Live.SetProxy(c.Request.Context(), id, proxy); err != nil {
		s.liveFail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"success": true})
}

func (s *Server) liveStartLogin(c *gin.Context) {
	var b struct {
		AccountID string `json:"account_id"`
	}
	if !s.liveBody(c, &b) {
		return
	}
	l, err := s.cfg.Live.StartLogin(c.Request.Context(), strings.TrimSpace(b.AccountID))
	if err != nil {
		s.liveFail(c, err)
		return
	}
	liveData(c, l)
}

func (s *Server) liveGetLogin(c *gin.Context) {
	l, err := s.cfg.Live.Login(c.Request.Context(), c.Query("login_id"))
	if err != nil {
		s.liveFail(c, err)
		return
	}
	liveData(c, l)
}
