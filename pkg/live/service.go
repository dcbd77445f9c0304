package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"

	"fanout/pkg/job"
	"fanout/pkg/live/tencent"
	"fanout/pkg/live/webcast"
	"fanout/pkg/web"
)

// Store is what the live assistant needs from Postgres (*postgres.Store).
type Store interface {
	LiveAccount(ctx context.Context, douyinID string) (Account, error)
	LiveSession(ctx context.Context, douyinID string) (*webcast.Session, string, error)
	LinkLiveAccount(ctx context.Context, accountID string, u webcast.User, sess webcast.Session) (Account, error)
	SetLiveDefaults(ctx context.Context, douyinID, title, coverURI string) error
	SetLiveProxy(ctx context.Context, douyinID, proxy string) error

	InsertLiveRoom(ctx context.Context, r Room, firstPing time.Duration) error
	LiveRoom(ctx context.Context, douyinID string) (Room, bool, error)
	SetLiveRoomRelay(ctx context.Context, id, taskID string) error
	CloseLiveRoom(ctx context.Context, id, reason string) (bool, error)
	ClaimDuePings(ctx context.Context, worker string, interval time.Duration, limit int) ([]Room, error)
	RecordLivePing(ctx context.Context, id string, ok bool) (int, error)

	LiveSchedule(ctx context.Context, douyinID string) (Schedule, error)
	PutLiveSchedule(ctx context.Context, sc Schedule) (prev, next Schedule, err error)
	FinishLiveSchedule(ctx context.Context, douyinID, action string, version int64, errMsg string) (bool, error)
	PendingLiveSchedules(ctx context.Context) ([]Schedule, error)

	CreateLiveLogin(ctx context.Context, id, accountID string) (Login, error)
	LiveLogin(ctx context.Context, id string) (Login, error)
	UpdateLiveLogin(ctx context.Context, l Login) error

	GetAccount(ctx context.Context, id string) (job.Account, error)
	AccountSecrets(ctx context.Context, id string) ([]web.Cookie, string, error)
}

// Emitter tells webhooks about an event (*webhook.Emitter).
type Emitter interface {
	Emit(ctx context.Context, event string, data any)
}

// Service is the live assistant's operations; the API calls it and the
// worker's jobs share it.
type Service struct {
	events Emitter
	store  Store
	wc     *webcast.Client
	tc     *tencent.Client
	jobs   *jobs
	cfg    Config
	log    *slog.Logger
	now    func() time.Time
}

// New builds the service. redis carries the schedule and login jobs.
func New(store Store, redis asynq.RedisConnOpt, log *slog.Logger, cfg Config) *Service {
	if cfg.PingInterval <= 0 {
		cfg.PingInterval = 5 * time.Second
	}
	if cfg.MaxPingFailures <= 0 {
		cfg.MaxPingFailures = 12
	}
	if cfg.QRPoll <= 0 {
		cfg.QRPoll = 1500 * time.Millisecond
	}
	if cfg.LoginTimeout <= 0 {
		cfg.LoginTimeout = 3 * time.Minute
	}
	if cfg.PushExpiry <= 0 {
		cfg.PushExpiry = tencent.DefaultPushExpiry
	}
	if cfg.TencentApp == "" {
		cfg.TencentApp = "live"
	}
	var signer webcast.Signer = webcast.NoSigner{}
	if cfg.SignerURL != "" {
		signer = webcast.HTTPSigner{URL: cfg.SignerURL}
	}
	return &Service{
		store: store,
		wc: webcast.New(webcast.Config{WebcastURL: cfg.WebcastURL, PassportURL: cfg.PassportURL, WebURL: cfg.WebURL, Signer: signer,
			AllowPrivateProxy: cfg.AllowPrivateProxy}),
		tc: &tencent.Client{Endpoint: cfg.TencentAPIURL, Service: "live", SecretID: cfg.TencentSecretID,
			SecretKey: cfg.TencentSecretKey, Region: cfg.TencentRegion},
		jobs: newJobs(redis),
		cfg:  cfg,
		log:  log,
		now:  time.Now,
	}
}

// Close releases Redis and idle HTTP connections.
func (s *Service) Close() error {
	s.wc.Close()
	return s.jobs.close()
}

// DemoMode reports whether the seed's test token is accepted.
func (s *Service) DemoMode() bool { return s.cfg.DemoMode }

// SetEvents makes the service tell webhooks when a room opens or closes.
func (s *Service) SetEvents(e Emitter) { s.events = e }

func (s *Service) emit(ctx context.Context, event string, data any) {
	if s.events != nil {
		s.events.Emit(ctx, event, data)
	}
}

// CheckID validates a 抖音号 parameter: missing or blank is
// ErrMissingDouyinID; one that cannot be a 抖音号 is ErrUnknownDouyinID.
func CheckID(id string) (string, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return "", ErrMissingDouyinID
	}
	if utf8.RuneCountInString(id) > 64 || strings.ContainsAny(id, " \t\r\n/?#&%") || !cleanText(id) {
		return "", ErrUnknownDouyinID
	}
	return id, nil
}

func (s *Service) account(ctx context.Context, id string) (Account, error) {
	id, err := CheckID(id)
	if err != nil {
		return Account{}, err
	}
	a, err := s.store.LiveAccount(ctx, id)
	if errors.Is(err, ErrNoAccount) {
		return a, ErrUnknownDouyinID
	}
	return a, err
}

// conn is the webcast client bound to the account's session and proxy.
func (s *Service) conn(ctx context.Context, douyinID string) (*webcast.Conn, error) {
	sess, proxy, err := s.store.LiveSession(ctx, douyinID)
	if errors.Is(err, ErrNoAccount) {
		return nil, ErrUnknownDouyinID
	}
	if err != nil {
		return nil, err
	}
	if sess == nil {
		return nil, ErrSessionExpired
	}
	return s.wc.Conn(sess, proxy)
}

// douyinErr turns what Douyin answered into a client refusal where the
// client can act, and leaves the rest as server errors.
func douyinErr(err error) error {
	var ae *webcast.APIError
	var pe *webcast.ProxyError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, webcast.ErrLoginRequired):
		return ErrSessionExpired
	case errors.As(err, &ae) && ae.AuthURL != "":
		return &UserError{Msg: fmt.Sprintf("抖音要求安全认证后才能开播(%d): %s %s", ae.Code, ae.Message, ae.AuthURL)}
	case errors.As(err, &ae):
		return &UserError{Msg: fmt.Sprintf("抖音拒绝了请求(%d): %s", ae.Code, ae.Message)}
	case errors.As(err, &pe):
		// Name the proxy, not what answered behind it.
		return &UserError{Msg: "代理连接失败: " + pe.Proxy, Status: http.StatusBadGateway}
	}
	return err
}

// cleanText reports text with no control characters and valid UTF-8, which
// Postgres can store and Douyin can show.
func cleanText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// Query finds a user by 抖音号 through the web search, with the account's
// own session and proxy when the 抖音号 is one of ours.
func (s *Service) Query(ctx context.Context, douyinID string) (webcast.User, error) {
	id, err := CheckID(douyinID)
	if err != nil {
		return webcast.User{}, err
	}
	sess, proxy, err := s.store.LiveSession(ctx, id)
	if err != nil && !errors.Is(err, ErrNoAccount) {
		return webcast.User{}, err
	}
	conn, err := s.wc.Conn(sess, proxy)
	if err != nil {
		return webcast.User{}, err
	}
	u, err := conn.SearchUser(ctx, id)
	if errors.Is(err, webcast.ErrUserNotFound) {
		return u, ErrUnknownDouyinID
	}
	return u, douyinErr(err)
}

// UserInfo is the logged-in account's own profile.
func (s *Service) UserInfo(ctx context.Context, douyinID string) (webcast.User, error) {
	a, err := s.account(ctx, douyinID)
	if err != nil {
		return webcast.User{}, err
	}
	conn, err := s.conn(ctx, a.DouyinID)
	if err != nil {
		return webcast.User{}, err
	}
	u, err := conn.Me(ctx)
	return u, douyinErr(err)
}

// CreateInfo is the default title and cover of a new room.
func (s *Service) CreateInfo(ctx context.Context, douyinID string) (webcast.CreateInfo, error) {
	a, err := s.account(ctx, douyinID)
	if err != nil {
		return webcast.CreateInfo{}, err
	}
	conn, err := s.conn(ctx, a.DouyinID)
	if err != nil {
		return webcast.CreateInfo{}, err
	}
	info, err := conn.CreateInfo(ctx)
	return info, douyinErr(err)
}

// Status reports the account's live room. A room Douyin has ended is closed
// here too; when the probe itself fails, Postgres is trusted.
func (s *Service) Status(ctx context.Context, douyinID string) (Room, bool, error) {
	a, err := s.account(ctx, douyinID)
	if err != nil {
		return Room{}, false, err
	}
	room, ok, err := s.store.LiveRoom(ctx, a.DouyinID)
	if err != nil || !ok {
		return room, false, err
	}
	conn, err := s.conn(ctx, a.DouyinID)
	if err != nil {
		return room, true, nil
	}
	st, err := conn.RoomStatus(ctx, room.RoomID)
	if err != nil {
		s.log.Warn("live status probe failed; trusting postgres", "douyin_id", a.DouyinID, "room_id", room.RoomID, "err", err)
		return room, true, nil
	}
	if st == webcast.StatusFinish {
		if err := s.finishRoom(ctx, room, "ended on Douyin"); err != nil {
			return room, true, err
		}
		return room, false, nil
	}
	return room, true, nil
}

// streamName is the Tencent stream of a 抖音号: letters, digits, _ and -.
func streamName(douyinID string) string {
	var b strings.Builder
	b.WriteString("douyin_")
	for _, r := range douyinID {
		if r < 128 && (r == '_' || r == '-' || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z')) {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

var errTencentConfig = errors.New("live: Tencent push is not configured (FANOUT_TENCENT_PUSH_DOMAIN, FANOUT_TENCENT_PUSH_KEY)")

// pushURL is the signed URL OBS pushes the account's stream to.
func (s *Service) pushURL(douyinID string) (string, error) {
	if s.cfg.PushDomain == "" || s.cfg.PushKey == "" {
		return "", errTencentConfig
	}
	return s.cfg.pushDomain().RTMPURL(streamName(douyinID), s.now().Add(s.cfg.PushExpiry)), nil
}

// PrepareTencent returns the account's signed Tencent push URL.
func (s *Service) PrepareTencent(ctx context.Context, douyinID string) (string, error) {
	a, err := s.account(ctx, douyinID)
	if err != nil {
		return "", err
	}
	return s.pushURL(a.DouyinID)
}

// Opened is what live/create answers.
type Opened struct {
	RoomID            string
	PushURL           string // the Tencent push URL for OBS
	Mode              string
	TencentTaskStatus string
}

// Create opens a room titled title with cover coverURI whose video is the
// broadcaster's Tencent stream, relayed to Douyin. An account that is live
// already gets its open room back.
func (s *Service) Create(ctx context.Context, douyinID, title, coverURI string) (Opened, error) {
	a, err := s.account(ctx, douyinID)
	if err != nil {
		return Opened{}, err
	}
	title, coverURI = strings.TrimSpace(title), strings.TrimSpace(coverURI)
	if title == "" || coverURI == "" {
		return Opened{}, ErrMissingParams
	}
	if utf8.RuneCountInString(title) > 30 {
		return Opened{}, &UserError{Msg: "直播标题不能超过30个字"}
	}
	if !cleanText(title) || !cleanText(coverURI) || len(coverURI) > 1024 {
		return Opened{}, ErrBadText
	}
	return s.open(ctx, a.DouyinID, title, coverURI)
}

func (s *Service) open(ctx context.Context, douyinID, title, coverURI string) (Opened, error) {
	push, err := s.pushURL(douyinID)
	if err != nil {
		return Opened{}, err
	}
	if !s.tc.Configured() || s.cfg.PlayDomain == "" {
		return Opened{}, errors.New("live: the Tencent relay is not configured (FANOUT_TENCENT_SECRET_ID, FANOUT_TENCENT_SECRET_KEY, FANOUT_TENCENT_PLAY_DOMAIN)")
	}
	if room, ok, err := s.store.LiveRoom(ctx, douyinID); err != nil {
		return Opened{}, err
	} else if ok {
		return s.opened(room, push), nil
	}
	conn, err := s.conn(ctx, douyinID)
	if err != nil {
		return Opened{}, err
	}
	info, err := conn.CreateInfo(ctx)
	if err != nil {
		return Opened{}, douyinErr(err)
	}
	if title == "" {
		title = info.Title
	}
	if coverURI == "" {
		coverURI = info.CoverURI
	}
	wr, err := conn.CreateRoom(ctx, webcast.RoomRequest{Title: title, CoverURI: coverURI, PreScheduleKey: info.PreScheduleKey})
	if err != nil {
		return Opened{}, douyinErr(err)
	}
	log := s.log.With("douyin_id", douyinID, "room_id", wr.RoomID)
	undo := func(why string) {
		if err := conn.CloseRoom(context.WithoutCancel(ctx), wr.RoomID, wr.StreamID); err != nil {
			log.Warn("could not close the room after "+why, "err", err)
		}
	}
	// The first status-2 ping makes the room visible; keep-alives follow.
	if err := conn.Ping(ctx, wr.RoomID, wr.StreamID); err != nil {
		undo("a failed first ping")
		return Opened{}, douyinErr(err)
	}
	room := Room{ID: uuid.NewString(), DouyinID: douyinID, RoomID: wr.RoomID, StreamID: wr.StreamID, State: RoomLive,
		PushURL: wr.PushURL, TencentStream: streamName(douyinID), Title: title, CoverURI: coverURI}
	if err := s.store.InsertLiveRoom(ctx, room, s.cfg.PingInterval); err != nil {
		undo("a failed insert")
		return Opened{}, err
	}
	now := s.now()
	task, err := s.tc.CreateRelay(ctx, tencent.Relay{
		SourceURL: s.cfg.playDomain().RTMPURL(room.TencentStream, now.Add(7*24*time.Hour)),
		ToURL:     wr.PushURL, Start: now, End: now.Add(7*24*time.Hour - time.Hour), Operator: "fanout",
	})
	if err != nil {
		undo("a failed relay")
		if _, cerr := s.store.CloseLiveRoom(context.WithoutCancel(ctx), room.ID, "relay failed"); cerr != nil {
			log.Warn("could not mark the room closed", "err", cerr)
		}
		return Opened{}, err
	}
	room.TencentTaskID = task
	if err := s.store.SetLiveRoomRelay(ctx, room.ID, task); err != nil {
		return Opened{}, err
	}
	if err := s.store.SetLiveDefaults(ctx, douyinID, title, coverURI); err != nil {
		log.Warn("could not remember the title and cover", "err", err)
	}
	log.Info("live room opened", "tencent_task_id", task)
	s.emit(ctx, job.EventLiveRoomOpened, map[string]string{"douyin_id": douyinID, "room_id": room.RoomID})
	return s.opened(room, push), nil
}

func (s *Service) opened(r Room, push string) Opened {
	status := "created"
	if r.TencentTaskID == "" {
		status = "pending"
	}
	return Opened{RoomID: r.RoomID, PushURL: push, Mode: "tencent", TencentTaskStatus: status}
}

// CloseLive closes the account's live room.
func (s *Service) CloseLive(ctx context.Context, douyinID string) error {
	a, err := s.account(ctx, douyinID)
	if err != nil {
		return err
	}
	room, ok, err := s.store.LiveRoom(ctx, a.DouyinID)
	if err != nil {
		return err
	}
	if !ok {
		return ErrNotLive
	}
	return s.closeRoom(ctx, room, "closed")
}

// closeRoom ends the room on Douyin (status 4), then finishes it here. A
// session Douyin no longer accepts cannot close the room; it is finished
// here anyway, and Douyin ends it when the pings stop.
func (s *Service) closeRoom(ctx context.Context, room Room, reason string) error {
	conn, err := s.conn(ctx, room.DouyinID)
	if err == nil {
		err = conn.CloseRoom(ctx, room.RoomID, room.StreamID)
	}
	if err != nil && !errors.Is(err, ErrSessionExpired) && !errors.Is(err, webcast.ErrLoginRequired) {
		return err
	}
	return s.finishRoom(ctx, room, reason)
}

// finishRoom deletes the relay and marks the room closed. When the relay
// cannot be deleted the room stays live here, so the next keep-alive (which
// will find it ended) tries again.
func (s *Service) finishRoom(ctx context.Context, room Room, reason string) error {
	if room.TencentTaskID != "" && s.tc.Configured() {
		if err := s.tc.DeleteRelay(ctx, room.TencentTaskID, "fanout"); err != nil {
			return err
		}
	}
	closed, err := s.store.CloseLiveRoom(ctx, room.ID, reason)
	if closed {
		s.log.Info("live room closed", "douyin_id", room.DouyinID, "room_id", room.RoomID, "reason", reason)
		s.emit(ctx, job.EventLiveRoomClosed, map[string]string{"douyin_id": room.DouyinID, "room_id": room.RoomID, "reason": reason})
	}
	return err
}
