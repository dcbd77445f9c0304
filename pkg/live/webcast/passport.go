package webcast

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/url"

	"fanout/pkg/web"
)

// QR states of the companion's passport login.
const (
	QRNew       = 1
	QRScanned   = 2
	QRConfirmed = 3
	QRRefused   = 4
	QRExpired   = 5
)

// NewDevice returns a fresh device identity for a new companion login.
func NewDevice() Session {
	return Session{DeviceID: randomDigits(19), InstallID: randomDigits(19)}
}

func randomDigits(n int) string {
	b := make([]byte, n)
	for i := range b {
		d, _ := rand.Int(rand.Reader, big.NewInt(10))
		b[i] = byte('0' + d.Int64())
	}
	if b[0] == '0' {
		b[0] = '7'
	}
	return string(b)
}

// passportQuery is the passport SDK's query; app_name is the companion's
// passport app (aweme_live_assistant), not webcast_mate.
func passportQuery(dev Session) url.Values {
	return url.Values{
		"passport_jssdk_version": {"2.4.13"},
		"app_name":               {"aweme_live_assistant"},
		"aid":                    {"2079"},
		"service":                {"https://streamingtool.douyin.com"},
		"need_logo":              {"false"},
		"device_platform":        {"Windows"},
		"did":                    {dev.DeviceID},
		"iid":                    {dev.InstallID},
	}
}

// QRCode is a login QR code: the token to poll with and the PNG image.
type QRCode struct {
	Token  string
	PNGB64 string
}

type passportAnswer struct {
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// PassportError is an error answer of the passport; 7 (too frequent) and
// 2156 (busy) mean "poll again later".
type PassportError struct {
	Code int
	Desc string
}

func (e *PassportError) Error() string {
	return fmt.Sprintf("webcast: passport error %d: %s", e.Code, e.Desc)
}

// Transient reports whether polling again later may succeed.
func (e *PassportError) Transient() bool { return e.Code == 7 || e.Code == 2156 }

// IsTransient reports whether err is a passport answer that only asks to
// poll again later.
func IsTransient(err error) bool {
	var pe *PassportError
	return errors.As(err, &pe) && pe.Transient()
}

func (c *Conn) passport(ctx context.Context, method, path string, q url.Values, form url.Values, out any) ([]web.Cookie, error) {
	res, b, err := c.send(ctx, method, c.c.cfg.PassportURL, path, q, form)
	if err != nil {
		return nil, err
	}
	var a passportAnswer
	if err := json.Unmarshal(b, &a); err != nil {
		return nil, fmt.Errorf("webcast: %s: unexpected answer %.120q", path, b)
	}
	var e struct {
		ErrorCode   int    `json:"error_code"`
		Description string `json:"description"`
	}
	_ = json.Unmarshal(a.Data, &e)
	if a.Message != "success" || e.ErrorCode != 0 {
		return nil, &PassportError{Code: e.ErrorCode, Desc: e.Description}
	}
	if err := json.Unmarshal(a.Data, out); err != nil {
		return nil, fmt.Errorf("webcast: %s: decode: %w", path, err)
	}
	var cookies []web.Cookie
	for _, k := range res.Cookies() {
		if k.Value == "" {
			continue
		}
		cookies = append(cookies, web.Cookie{Name: k.Name, Value: k.Value, Domain: k.Domain, Path: k.Path,
			HTTPOnly: k.HttpOnly, Secure: k.Secure, Expires: float64(k.Expires.Unix())})
	}
	return cookies, nil
}

// GetQRCode asks for a new login QR code (GET /passport/web/get_qrcode/).
// The Conn's session holds only the device identity.
func (c *Conn) GetQRCode(ctx context.Context) (QRCode, error) {
	var d struct {
		Token  string `json:"token"`
		QRCode string `json:"qrcode"`
	}
	dev := Session{}
	if c.sess != nil {
		dev = *c.sess
	}
	if _, err := c.passport(ctx, "GET", "/passport/web/get_qrcode/", passportQuery(dev), nil, &d); err != nil {
		return QRCode{}, err
	}
	if d.Token == "" || d.QRCode == "" {
		return QRCode{}, fmt.Errorf("webcast: get_qrcode: no token or image in the answer")
	}
	return QRCode{Token: d.Token, PNGB64: d.QRCode}, nil
}

// CheckQR polls a QR code (POST /passport/web/check_qrconnect/). On
// QRConfirmed the cookies of that answer are the new session.
func (c *Conn) CheckQR(ctx context.Context, token string) (int, []web.Cookie, error) {
	dev := Session{}
	if c.sess != nil {
		dev = *c.sess
	}
	q := passportQuery(dev)
	q.Set("token", token)
	q.Set("is_frontier", "true")
	var d struct {
		Status json.Number `json:"status"`
	}
	cookies, err := c.passport(ctx, "POST", "/passport/web/check_qrconnect/", q, url.Values{}, &d)
	if err != nil {
		return 0, nil, err
	}
	st, err := d.Status.Int64()
	if err != nil {
		return 0, nil, fmt.Errorf("webcast: check_qrconnect: bad status %q", d.Status)
	}
	return int(st), cookies, nil
}
