// Package live is the Douyin live assistant of seed 001: a Douyin account
// logged in to the live companion is addressed by its 抖音号; it can open a
// room whose video comes from the broadcaster's OBS through a Tencent Cloud
// relay, keep it alive, close it, and have it opened and closed on a
// schedule. The API calls the Service; the worker runs the Worker (QR login
// jobs, schedule jobs and the keep-alive loop).
//
// Postgres holds the truth (rooms, schedules, sessions sealed); Redis only
// carries the schedule and login jobs, by 抖音号 and version, never a secret.
package live

import (
	"errors"
	"time"

	"fanout/pkg/live/tencent"
)

// UserError is a refusal the client can act on; the API shows Msg as the
// seed's "detail" with Status (400 when zero). Every other error is a server
// error.
type UserError struct {
	Msg    string
	Status int
}

func (e *UserError) Error() string { return e.Msg }

// Refusals with the seed's exact messages, and a few of our own.
var (
	ErrMissingDouyinID = &UserError{Msg: "缺少抖音号"}
	ErrUnknownDouyinID = &UserError{Msg: "抖音号不存在"}
	ErrBadStartTime    = &UserError{Msg: "无效的开播时间或时间已过"}
	ErrBadStopTime     = &UserError{Msg: "无效的关播时间或时间已过"}
	ErrStopBeforeStart = &UserError{Msg: "关播时间必须晚于开播时间"}
	ErrNotLive         = &UserError{Msg: "当前无直播"}
	ErrMissingParams   = &UserError{Msg: "缺少必要参数"}
	ErrBadProxy        = &UserError{Msg: "无效的代理IP,格式为 host:port,可带 http:// 或 socks5:// 及用户名密码"}
	ErrSessionExpired  = &UserError{Msg: "抖音登录已失效,请重新扫码登录"}
	ErrUnknownLogin    = &UserError{Msg: "登录任务不存在"}
	ErrNotDouyinAcct   = &UserError{Msg: "账号不存在或不是抖音账号"}
	ErrPrivateProxy    = &UserError{Msg: "代理地址不能是本机、链路本地或内网地址（FANOUT_ALLOW_PRIVATE_PROXY=true 可放开）"}
	ErrBadText         = &UserError{Msg: "参数包含无效字符"}
)

// IsUserError reports whether err is a refusal for the client.
func IsUserError(err error) (*UserError, bool) {
	var ue *UserError
	ok := errors.As(err, &ue)
	return ue, ok
}

// Store sentinels: an unknown 抖音号, and a second live room for one.
var (
	ErrNoAccount  = errors.New("live: no account with this 抖音号")
	ErrRoomExists = errors.New("live: the account already has a live room")
)

// Account is a Douyin account's live identity.
type Account struct {
	DouyinID     string
	AccountID    string
	UID          string
	SecUID       string
	Nickname     string
	Signature    string
	LastTitle    string
	LastCoverURI string
	HasSession   bool
}

// RoomState is where a room stands in Fanout.
type RoomState string

// Room states.
const (
	RoomLive   RoomState = "live"
	RoomClosed RoomState = "closed"
)

// Room is a room opened through Fanout.
type Room struct {
	ID            string
	DouyinID      string
	RoomID        string
	StreamID      string
	State         RoomState
	PushURL       string // Douyin's ingest URL: a secret, only set where needed
	TencentStream string
	TencentTaskID string
	Title         string
	CoverURI      string
	OpenedAt      time.Time
	ClosedAt      *time.Time
	CloseReason   string
	PingFailures  int
}

// Schedule is an account's automatic start and stop. Times are absolute.
type Schedule struct {
	DouyinID     string
	StartEnabled bool
	StartAt      *time.Time
	StopEnabled  bool
	StopAt       *time.Time
	Version      int64
	LastError    string
}

// LoginState is the phase of a companion QR login.
type LoginState string

// Login phases.
const (
	LoginPending   LoginState = "pending"
	LoginQRCode    LoginState = "qrcode"
	LoginScanned   LoginState = "scanned"
	LoginSucceeded LoginState = "succeeded"
	LoginExpired   LoginState = "expired"
	LoginFailed    LoginState = "failed"
)

// Login is a companion QR login job as the client polls it.
type Login struct {
	ID        string     `json:"login_id"`
	AccountID string     `json:"account_id,omitempty"`
	State     LoginState `json:"status"`
	QRCode    string     `json:"qrcode,omitempty"` // a data URL
	DouyinID  string     `json:"douyin_id,omitempty"`
	Message   string     `json:"message,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// Terminal reports whether the login has ended.
func (l Login) Terminal() bool {
	return l.State == LoginSucceeded || l.State == LoginExpired || l.State == LoginFailed
}

// Config is the live assistant's configuration, from the environment
// (embedded in both binaries' Config).
type Config struct {
	WebcastURL  string `env:"FANOUT_LIVE_WEBCAST_URL" envDefault:"https://webcast.amemv.com"`
	PassportURL string `env:"FANOUT_LIVE_PASSPORT_URL" envDefault:"https://streamingtool.douyin.com"`
	WebURL      string `env:"FANOUT_LIVE_WEB_URL" envDefault:"https://www.douyin.com"`
	// SignerURL is the request signer service (a_bogus); empty signs nothing.
	SignerURL string `env:"FANOUT_LIVE_SIGNER_URL"`
	// AllowPrivateProxy lets an account's proxy point at loopback,
	// link-local and private addresses (refused by default: the server would
	// connect there on the client's behalf).
	AllowPrivateProxy bool `env:"FANOUT_ALLOW_PRIVATE_PROXY" envDefault:"false"`
	// DemoMode accepts the seed's test token "test_token" on the live routes.
	// Never set it in production.
	DemoMode bool `env:"FANOUT_LIVE_DEMO_MODE" envDefault:"false"`
	// PingInterval is the keep-alive period of an open room.
	PingInterval time.Duration `env:"FANOUT_LIVE_PING_INTERVAL" envDefault:"5s"`
	// MaxPingFailures closes a room after this many failed pings in a row.
	MaxPingFailures int `env:"FANOUT_LIVE_MAX_PING_FAILURES" envDefault:"12"`
	// QRPoll is how often a login job polls the QR code's state.
	QRPoll time.Duration `env:"FANOUT_LIVE_QR_POLL" envDefault:"1500ms"`
	// LoginTimeout bounds a QR login job.
	LoginTimeout time.Duration `env:"FANOUT_LIVE_LOGIN_TIMEOUT" envDefault:"3m"`

	TencentAPIURL    string        `env:"FANOUT_TENCENT_API_URL" envDefault:"https://live.tencentcloudapi.com"`
	TencentSecretID  string        `env:"FANOUT_TENCENT_SECRET_ID"`
	TencentSecretKey string        `env:"FANOUT_TENCENT_SECRET_KEY"`
	TencentRegion    string        `env:"FANOUT_TENCENT_REGION"`
	TencentApp       string        `env:"FANOUT_TENCENT_APP_NAME" envDefault:"live"`
	PushDomain       string        `env:"FANOUT_TENCENT_PUSH_DOMAIN"`
	PushKey          string        `env:"FANOUT_TENCENT_PUSH_KEY"`
	PushExpiry       time.Duration `env:"FANOUT_TENCENT_PUSH_EXPIRY" envDefault:"24h"`
	PlayDomain       string        `env:"FANOUT_TENCENT_PLAY_DOMAIN"`
	PlayKey          string        `env:"FANOUT_TENCENT_PLAY_KEY"`
}

func (c Config) pushDomain() tencent.Domain {
	return tencent.Domain{Host: c.PushDomain, AppName: c.TencentApp, Key: c.PushKey}
}

func (c Config) playDomain() tencent.Domain {
	return tencent.Domain{Host: c.PlayDomain, AppName: c.TencentApp, Key: c.PlayKey}
}
