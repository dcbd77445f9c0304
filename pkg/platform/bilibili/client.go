package bilibili

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"fanout/pkg/platform"
	"fanout/pkg/web"
)

// The BiliTV app key signs the QR login, the token check and refresh and
// the app submit (bilibili-upload.md §1, cred AppKeyStore). The secret is
// public: every open client of the TV login carries it.
const (
	tvAppKey = "4409e2ce8ffd12b8"
	tvAppSec = "59b43e04ad6965f34319062b478f83dd"
)

// User agents per client (§1): the cookie client's Chrome/63, the upload
// client's Firefox/60 and the app submit's BiliDroid/7.80.0.
const (
	cookieUA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/63.0.3239.108 Safari/537.36"
	uploadUA = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:60.1) Gecko/20100101 Firefox/60.1"
	appUA    = "Mozilla/5.0 BiliDroid/7.80.0 (bbcallen@gmail.com) os/android model/MI 6 mobi_app/android build/7800300 channel/bili innerVer/7800310 osVer/13 network/2"
)

// Codes the driver acts on (§7, §4).
const (
	codeNotLoggedIn = -101  // cover, submit, member calls: no valid session
	codeCSRF        = -111  // cover: csrf does not match bili_jct
	codeQRWaiting   = 86039 // poll: not confirmed yet
	codeQRScanned   = 86090 // poll: scanned, not confirmed (API-collect)
	codeQRExpired   = 86038 // poll: the code expired (API-collect)
	codeRateLimit   = 601   // preupload: uploading too fast
	codeRateLimit2  = 406   // preupload: the same, 2025
)

// sign adds appkey, ts and sign to params: md5 of the key-sorted query
// plus the app secret, lowercase hex (§1 Sign). url.Values.Encode sorts by
// key, as biliup's BTreeMap does.
func sign(params url.Values) url.Values {
	params.Set("appkey", tvAppKey)
	if params.Get("ts") == "" {
		params.Set("ts", strconv.FormatInt(time.Now().Unix(), 10))
	}
	params.Del("sign")
	sum := md5.Sum([]byte(params.Encode() + tvAppSec))
	params.Set("sign", hex.EncodeToString(sum[:]))
	return params
}

// envelope is the member and passport answer (§1 Envelope).
type envelope struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// call is one HTTP request of the driver.
type call struct {
	method  string
	url     string
	query   url.Values
	form    url.Values // sent as application/x-www-form-urlencoded
	json    any        // sent as application/json
	body    []byte     // sent raw (a chunk)
	header  http.Header
	cookies bool // send the account's site cookies (the cookie client)
	ua      string
	timeout time.Duration
	record  bool // keep the answer as the session's last exchange
}

// response is an answer read in full.
type response struct {
	status int
	body   []byte
}

// do sends c bounded by ctx and c.timeout and reads the answer.
func (d *Driver) do(ctx context.Context, c call) (response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	u := c.url
	if len(c.query) > 0 {
		sep := "?"
		if strings.Contains(u, "?") {
			sep = "&"
		}
		u += sep + c.query.Encode()
	}
	var body io.Reader
	ctype := ""
	switch {
	case c.form != nil:
		body, ctype = strings.NewReader(c.form.Encode()), "application/x-www-form-urlencoded"
	case c.json != nil:
		b, err := json.Marshal(c.json)
		if err != nil {
			return response{}, fmt.Errorf("bilibili: encode %s: %w", c.url, err)
		}
		body, ctype = bytes.NewReader(b), "application/json"
	case c.body != nil:
		body = bytes.NewReader(c.body)
	}
	req, err := http.NewRequestWithContext(ctx, c.method, u, body)
	if err != nil {
		return response{}, fmt.Errorf("bilibili: %s %s: %w", c.method, c.url, err)
	}
	for k, v := range c.header {
		req.Header[k] = v
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("User-Agent", c.ua)
	s := session(ctx)
	if c.cookies {
		req.Header.Set("Referer", "https://www.bilibili.com/")
		if h := cookieHeader(s); h != "" {
			req.Header.Set("Cookie", h)
		}
	}
	res, err := d.client(s).Do(req)
	if err != nil {
		if ctx.Err() != nil && errors.Is(context.Cause(ctx), context.DeadlineExceeded) {
			return response{}, fmt.Errorf("bilibili: %s %s: no answer within %s: %w", c.method, c.url, c.timeout, err)
		}
		return response{}, fmt.Errorf("bilibili: %s %s: %w", c.method, c.url, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	if err != nil {
		return response{}, fmt.Errorf("bilibili: %s %s: read: %w", c.method, c.url, err)
	}
	if c.record && s != nil {
		s.Record(platform.Exchange{Method: c.method, URL: c.url, Status: res.StatusCode, Body: redact(b), At: time.Now()})
	}
	return response{status: res.StatusCode, body: b}, nil
}

// api sends c and decodes the {code,message,data} envelope; data goes
// into out unless out is nil. A non-2xx answer that still carries an
// envelope is returned as it is, for the caller to read its code.
func (d *Driver) api(ctx context.Context, c call, out any) (envelope, error) {
	res, err := d.do(ctx, c)
	if err != nil {
		return envelope{}, err
	}
	var env envelope
	if err := json.Unmarshal(res.body, &env); err != nil {
		return envelope{}, fmt.Errorf("bilibili: %s: HTTP %d, not the site's JSON: %.200q", c.url, res.status, res.body)
	}
	if env.Code == 0 && res.status/100 != 2 {
		return env, fmt.Errorf("bilibili: %s: HTTP %d", c.url, res.status)
	}
	if env.Code == 0 && out != nil && len(env.Data) > 0 {
		if err := json.Unmarshal(env.Data, out); err != nil {
			return env, fmt.Errorf("bilibili: %s: decode data: %w", c.url, err)
		}
	}
	return env, nil
}

// refused maps a non-zero code to the driver's error classes: a logged-out
// session is ErrLoginRequired, anything else the site refused is
// ErrRejected with the site's message.
func refused(what string, env envelope) error {
	switch env.Code {
	case codeNotLoggedIn, codeCSRF:
		return fmt.Errorf("bilibili: %s: %s (%d): %w", what, env.Message, env.Code, platform.ErrLoginRequired)
	}
	return fmt.Errorf("bilibili: %s refused: %s (%d): %w", what, env.Message, env.Code, platform.ErrRejected)
}

// session returns the worker's session in ctx, or nil outside a task.
func session(ctx context.Context) *platform.HTTPSession {
	s, _ := platform.HTTPSessionFrom(ctx)
	return s
}

// client is the session's client (the account's proxy) or the driver's.
func (d *Driver) client(s *platform.HTTPSession) *http.Client {
	if s != nil && s.Client != nil {
		return s.Client
	}
	return d.http
}

// cookies returns the session's cookies (none outside a task).
func cookies(s *platform.HTTPSession) []web.Cookie {
	if s == nil {
		return nil
	}
	return s.Cookies()
}

// cookieHeader is the Cookie header of the site cookies: every cookie of
// the session except the driver's own token records, which never leave
// the machine.
func cookieHeader(s *platform.HTTPSession) string {
	var parts []string
	for _, c := range cookies(s) {
		if strings.HasPrefix(c.Name, tokenPrefix) || c.Name == "" {
			continue
		}
		if c.Expires > 0 && time.Unix(int64(c.Expires), 0).Before(time.Now()) {
			continue
		}
		parts = append(parts, c.Name+"="+c.Value)
	}
	return strings.Join(parts, "; ")
}

// cookie returns the value of the session's cookie name ("" if absent).
func cookie(s *platform.HTTPSession, name string) string {
	for _, c := range cookies(s) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// secretRE finds the values of keys that carry credentials in an answer.
var secretRE = regexp.MustCompile(`"(access_token|refresh_token|access_key|auth|value|csrf|SESSDATA|bili_jct|sign|token)"\s*:\s*"[^"]*"`)

// redact removes credentials from an answer kept for diagnosis and keeps
// its first 4 KiB.
func redact(b []byte) string {
	s := secretRE.ReplaceAllString(string(b), `"$1":"[redacted]"`)
	if len(s) > 4096 {
		s = s[:4096] + "…"
	}
	return s
}
