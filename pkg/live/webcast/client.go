// Package webcast is Fanout's HTTP client for Douyin's live companion
// protocol (直播伴侣, app webcast_mate, aid 2079): the passport QR login of
// the companion, the account's own profile, the create-info defaults, room
// create, the keep-alive ping (status 2), close (status 4), the room status
// probe, and the web search that finds a user by 抖音号. It drives no
// browser. Every call of an account goes through that account's proxy, and
// every request is signed by a pluggable Signer before it is sent.
//
// Shapes follow the public reimplementations of the protocol (see
// /work/shared/reference/live-douyin-tencent.md §3); package webcasttest is a
// fake that checks them.
package webcast

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"fanout/pkg/netguard"
	"fanout/pkg/web"
)

// Default hosts; deployments and tests override them in Config.
const (
	DefaultWebcastURL  = "https://webcast.amemv.com"
	DefaultPassportURL = "https://streamingtool.douyin.com"
	DefaultWebURL      = "https://www.douyin.com"
	// DefaultUserAgent is the companion's Electron user agent.
	DefaultUserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) webcast_mate/12.7.3 Chrome/108.0.5359.215 Electron/22.3.27 Safari/537.36"
	// CompanionVersion is the version_code the companion calls send.
	CompanionVersion = "12.7.3"
)

// Room statuses of the companion (ROOM_STATUS).
const (
	StatusPrepare = 1
	StatusLiving  = 2
	StatusPause   = 3
	StatusFinish  = 4
)

// Errors callers act on.
var (
	// ErrLoginRequired means the companion session is missing or expired.
	ErrLoginRequired = errors.New("webcast: login required")
	// ErrRoomEnded means Douyin has already ended the room.
	ErrRoomEnded = errors.New("webcast: room already ended")
	// ErrUserNotFound means no user has that 抖音号.
	ErrUserNotFound = errors.New("webcast: no user with this 抖音号")
)

// APIError is a non-zero status_code of a webcast or search answer.
type APIError struct {
	Path    string
	Code    int
	Message string
	// AuthURL is Douyin's verification page when it asks for a face or
	// real-name check before a room may open (4003028).
	AuthURL string
}

func (e *APIError) Error() string {
	msg := fmt.Sprintf("webcast: %s: status_code %d", e.Path, e.Code)
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// Config says where Douyin is and how to sign.
type Config struct {
	WebcastURL  string
	PassportURL string
	WebURL      string
	Signer      Signer
	UserAgent   string
	// Timeout bounds one HTTP call (default 20s).
	Timeout time.Duration
	// AllowPrivateProxy lets proxy connections reach loopback, link-local
	// and private addresses.
	AllowPrivateProxy bool
}

// Session is a companion login: the passport cookies plus the device
// identity the companion sends with every call. It is a secret.
type Session struct {
	Cookies   []web.Cookie `json:"cookies"`
	DeviceID  string       `json:"device_id"`
	InstallID string       `json:"install_id"`
}

// Client makes Conns. It keeps one transport per proxy so keep-alive pings
// reuse connections.
type Client struct {
	cfg Config
	mu  sync.Mutex
	tr  map[string]*http.Transport
}

// New returns a Client; empty Config fields take the defaults.
func New(cfg Config) *Client {
	if cfg.WebcastURL == "" {
		cfg.WebcastURL = DefaultWebcastURL
	}
	if cfg.PassportURL == "" {
		cfg.PassportURL = DefaultPassportURL
	}
	if cfg.WebURL == "" {
		cfg.WebURL = DefaultWebURL
	}
	if cfg.Signer == nil {
		cfg.Signer = NoSigner{}
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 20 * time.Second
	}
	for _, p := range []*string{&cfg.WebcastURL, &cfg.PassportURL, &cfg.WebURL} {
		*p = strings.TrimRight(*p, "/")
	}
	return &Client{cfg: cfg, tr: map[string]*http.Transport{}}
}

// Conn is the client bound to one account: its session (may be nil for
// the QR login and anonymous searches) and its proxy.
type Conn struct {
	c     *Client
	sess  *Session
	http  *http.Client
	proxy string // the proxy's host:port, to name it in errors
}

// ProxyError is a call that failed on the way through the account's proxy:
// the proxy refused, could not be reached, or could not reach Douyin. It
// names the proxy, never the credentials or what answered behind it.
type ProxyError struct {
	Proxy string
	Err   error
}

func (e *ProxyError) Error() string { return "webcast: proxy " + e.Proxy + ": " + e.Err.Error() }
func (e *ProxyError) Unwrap() error { return e.Err }

// Conn binds the client to a session and a proxy URL (empty: direct).
// proxy is http://[user:pass@]host:port or socks5://[user:pass@]host:port.
func (c *Client) Conn(sess *Session, proxy string) (*Conn, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	tr := c.tr[proxy]
	host := ""
	if proxy != "" {
		u, err := url.Parse(proxy)
		if err != nil || u.Host == "" {
			return nil, errors.New("webcast: bad proxy URL")
		}
		host = u.Host
	}
	if tr == nil {
		tr = http.DefaultTransport.(*http.Transport).Clone()
		tr.Proxy = nil
		if proxy != "" {
			u, _ := url.Parse(proxy)
			tr.Proxy = http.ProxyURL(u)
			if !c.cfg.AllowPrivateProxy {
				// A proxy's name may resolve somewhere private after it was
				// stored: refuse the connection itself.
				d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second, Control: netguard.Control}
				tr.DialContext = d.DialContext
			}
		}
		c.tr[proxy] = tr
	}
	return &Conn{c: c, sess: sess, proxy: host, http: &http.Client{Transport: tr, Timeout: c.cfg.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}, nil
}

// Close releases idle connections of every proxy.
func (c *Client) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, tr := range c.tr {
		tr.CloseIdleConnections()
	}
}

// companionQuery is the common query of every webcast call.
func (c *Conn) companionQuery() url.Values {
	q := url.Values{}
	q.Set("app_name", "webcast_mate")
	q.Set("version_code", CompanionVersion)
	q.Set("device_platform", "windows")
	q.Set("aid", "2079")
	q.Set("live_id", "1")
	q.Set("webcast_sdk_version", "1520")
	if c.sess != nil {
		q.Set("device_id", c.sess.DeviceID)
		q.Set("iid", c.sess.InstallID)
	}
	return q
}

// send signs and sends one request and returns the answer's body.
func (c *Conn) send(ctx context.Context, method, base, path string, q url.Values, form url.Values) (*http.Response, []byte, error) {
	u := base + path + "?" + q.Encode()
	body := ""
	if form != nil {
		body = form.Encode()
	}
	sig, err := c.c.cfg.Signer.Sign(ctx, SignRequest{Method: method, URL: u, Body: body, UserAgent: c.c.cfg.UserAgent})
	if err != nil {
		return nil, nil, err
	}
	if len(sig.Query) > 0 {
		extra := url.Values{}
		for k, v := range sig.Query {
			extra.Set(k, v)
		}
		u += "&" + extra.Encode()
	}
	var rd io.Reader
	if form != nil {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, nil, fmt.Errorf("webcast: %s: %w", path, err)
	}
	req.Header.Set("User-Agent", c.c.cfg.UserAgent)
	req.Header.Set("Accept", "application/json, text/plain, */*")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range sig.Headers {
		req.Header.Set(k, v)
	}
	if c.sess != nil && len(c.sess.Cookies) > 0 {
		parts := make([]string, 0, len(c.sess.Cookies))
		for _, ck := range c.sess.Cookies {
			parts = append(parts, ck.Name+"="+ck.Value)
		}
		req.Header.Set("Cookie", strings.Join(parts, "; "))
	}
	res, err := c.http.Do(req)
	if err != nil {
		// The URL may carry signatures; report the path only.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		if c.proxy != "" && ctx.Err() == nil {
			return nil, nil, &ProxyError{Proxy: c.proxy, Err: fmt.Errorf("webcast: %s: %w", path, err)}
		}
		return nil, nil, fmt.Errorf("webcast: %s: %w", path, err)
	}
	if res.StatusCode == http.StatusProxyAuthRequired && c.proxy != "" {
		res.Body.Close()
		return nil, nil, &ProxyError{Proxy: c.proxy, Err: fmt.Errorf("webcast: %s: proxy refused the credentials", path)}
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	if err != nil {
		return nil, nil, fmt.Errorf("webcast: %s: read: %w", path, err)
	}
	if res.StatusCode >= 500 {
		return nil, nil, fmt.Errorf("webcast: %s: HTTP %d", path, res.StatusCode)
	}
	return res, b, nil
}

// webcastAnswer is the envelope of webcast.amemv.com.
type webcastAnswer struct {
	StatusCode int             `json:"status_code"`
	Data       json.RawMessage `json:"data"`
	Extra      struct {
		WebAuthAddress string `json:"web_auth_address"`
	} `json:"extra"`
}

// loginRequiredCode is the status_code of a call without a valid session.
const loginRequiredCode = 20003

// call does a webcast request and decodes data into out.
func (c *Conn) call(ctx context.Context, method, path string, q url.Values, form url.Values, out any) error {
	if c.sess == nil {
		return ErrLoginRequired
	}
	allq := c.companionQuery()
	for k, v := range q {
		allq[k] = v
	}
	_, b, err := c.send(ctx, method, c.c.cfg.WebcastURL, path, allq, form)
	if err != nil {
		return err
	}
	var a webcastAnswer
	if err := json.Unmarshal(b, &a); err != nil {
		return fmt.Errorf("webcast: %s: unexpected answer %.120q", path, b)
	}
	if a.StatusCode != 0 {
		return c.apiError(path, a)
	}
	if out != nil {
		if err := json.Unmarshal(a.Data, out); err != nil {
			return fmt.Errorf("webcast: %s: decode: %w", path, err)
		}
	}
	return nil
}

func (c *Conn) apiError(path string, a webcastAnswer) error {
	var d struct {
		Prompts string `json:"prompts"`
		Message string `json:"message"`
	}
	_ = json.Unmarshal(a.Data, &d)
	msg := d.Prompts
	if msg == "" {
		msg = d.Message
	}
	e := &APIError{Path: path, Code: a.StatusCode, Message: msg, AuthURL: a.Extra.WebAuthAddress}
	if a.StatusCode == loginRequiredCode {
		return fmt.Errorf("%w: %w", ErrLoginRequired, e)
	}
	return e
}
