package bilibili

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"fanout/pkg/platform"
)

// Login implements platform.Driver with the TV QR login (§2.1): a signed
// auth_code names the URL the phone scans, then a signed poll once per
// PollInterval until the login object comes. An expired code (86038) is
// replaced by a new one, as a login page refreshes its code; the whole
// login is bounded by LoginTimeout. The cookies and tokens go into the
// session for the worker to store.
func (d *Driver) Login(ctx context.Context, onChallenge func(platform.Challenge) error) error {
	ctx, cancel := context.WithTimeout(ctx, d.cfg.LoginTimeout)
	defer cancel()
	for {
		code, err := d.newQR(ctx, onChallenge)
		if err != nil {
			return d.loginErr(ctx, err)
		}
		login, err := d.pollQR(ctx, code, onChallenge)
		if errors.Is(err, errQRExpired) {
			if err := onChallenge(platform.Challenge{Phase: platform.PhaseExpired, Message: "二维码已失效"}); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return d.loginErr(ctx, err)
		}
		if s := session(ctx); s != nil {
			s.SetCookies(login.cookies())
		}
		return onChallenge(platform.Challenge{Phase: platform.PhaseSucceeded})
	}
}

// loginErr names a login that ran out of time ErrLoginTimeout.
func (d *Driver) loginErr(ctx context.Context, err error) error {
	if errors.Is(context.Cause(ctx), context.DeadlineExceeded) {
		return fmt.Errorf("bilibili: nobody confirmed the QR code within %s: %w", d.cfg.LoginTimeout, platform.ErrLoginTimeout)
	}
	return err
}

var errQRExpired = errors.New("bilibili: QR code expired")

// newQR asks for an auth_code (§2.1 step 1) and shows its URL as a QR
// image.
func (d *Driver) newQR(ctx context.Context, onChallenge func(platform.Challenge) error) (string, error) {
	var data struct {
		URL      string `json:"url"`
		AuthCode string `json:"auth_code"`
	}
	env, err := d.api(ctx, call{method: "POST", url: d.cfg.PassportURL + "/x/passport-tv-login/qrcode/auth_code",
		form: sign(url.Values{"local_id": {"0"}}), ua: cookieUA, timeout: d.cfg.Timeout}, &data)
	if err != nil {
		return "", err
	}
	if env.Code != 0 || data.AuthCode == "" || data.URL == "" {
		return "", fmt.Errorf("bilibili: QR code: %s (%d)", env.Message, env.Code)
	}
	png, err := qrcode.Encode(data.URL, qrcode.Medium, 256)
	if err != nil {
		return "", fmt.Errorf("bilibili: draw QR code: %w", err)
	}
	img := "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
	if err := onChallenge(platform.Challenge{Phase: platform.PhaseQRCode, QRCode: img}); err != nil {
		return "", err
	}
	return data.AuthCode, nil
}

// pollQR polls the code (§2.1 step 3; ts and sign computed once) until the
// login object, an expired code or another code, which aborts. Scanned
// (86090) is reported once and polled on (inferred in §2.1).
func (d *Driver) pollQR(ctx context.Context, authCode string, onChallenge func(platform.Challenge) error) (loginData, error) {
	form := sign(url.Values{"auth_code": {authCode}, "local_id": {"0"}})
	tick := time.NewTicker(d.cfg.PollInterval)
	defer tick.Stop()
	scanned := false
	for {
		var login loginData
		env, err := d.api(ctx, call{method: "POST", url: d.cfg.PassportURL + "/x/passport-tv-login/qrcode/poll",
			form: form, ua: cookieUA, timeout: d.cfg.Timeout}, &login)
		if err != nil {
			return loginData{}, err
		}
		switch env.Code {
		case 0:
			if login.TokenInfo.AccessToken == "" && len(login.CookieInfo.Cookies) == 0 {
				return loginData{}, errors.New("bilibili: QR login answered without tokens or cookies")
			}
			return login, nil
		case codeQRWaiting:
		case codeQRScanned:
			if !scanned {
				scanned = true
				if err := onChallenge(platform.Challenge{Phase: platform.PhaseScanned, Message: "已扫码，请在手机上确认"}); err != nil {
					return loginData{}, err
				}
			}
		case codeQRExpired:
			return loginData{}, errQRExpired
		default:
			return loginData{}, fmt.Errorf("bilibili: QR login: %s (%d)", env.Message, env.Code)
		}
		select {
		case <-ctx.Done():
			return loginData{}, ctx.Err()
		case <-tick.C:
		}
	}
}
