package xiaohongshutest

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"time"

	qrcode "github.com/skip2/go-qrcode"
)

// QR code states, as the login page's poll sees them.
const (
	qrNew       = "new"
	qrScanned   = "scanned"
	qrConfirmed = "confirmed"
	qrExpired   = "expired"
)

type qrCode struct {
	token   string
	state   string
	expires time.Time
	// session is issued when the phone confirms; the page's next poll sets
	// it as the cookie.
	session string
}

// ErrNoLiveQR is returned by Scan when no login page shows a QR code that
// can still be scanned.
var ErrNoLiveQR = errors.New("xiaohongshutest: no live QR code to scan")

// stateLocked returns the state of q, expiring it when its time is up.
func (q *qrCode) stateLocked(now time.Time) string {
	if (q.state == qrNew || q.state == qrScanned) && now.After(q.expires) {
		q.state = qrExpired
	}
	return q.state
}

// newQR issues a token and the PNG data URL that encodes the phone's scan
// URL for it, so a demo user could even scan it with a phone camera.
func (s *Site) newQR(r *http.Request) (token, dataURL string, err error) {
	token = randomID(12)
	scanURL := fmt.Sprintf("http://%s/__fake__/scan?token=%s", r.Host, token)
	png, err := qrcode.Encode(scanURL, qrcode.Medium, 240)
	if err != nil {
		return "", "", fmt.Errorf("xiaohongshutest: encode qr: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.qrs[token] = &qrCode{token: token, state: qrNew, expires: time.Now().Add(s.opt.QRLifetime)}
	s.newestQR = token
	return token, "data:image/png;base64," + base64.StdEncoding.EncodeToString(png), nil
}

// Scan plays the phone: it scans the newest QR code that can still be
// scanned and, when confirm is true, also confirms the login on the phone.
// The login page notices within about 300ms.
func (s *Site) Scan(confirm bool) error { return s.scan("", confirm) }

func (s *Site) scan(token string, confirm bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if token == "" {
		token = s.newestQR
	}
	q := s.qrs[token]
	if q == nil {
		return ErrNoLiveQR
	}
	switch q.stateLocked(time.Now()) {
	case qrNew, qrScanned:
	default:
		return fmt.Errorf("%w (newest is %s)", ErrNoLiveQR, q.state)
	}
	q.state = qrScanned
	if confirm {
		q.state = qrConfirmed
		q.session = randomID(16)
		s.sessions[q.session] = true
	}
	return nil
}

// ExpireQR expires every QR code shown so far, so login pages show 二维码已过期
// until 点击刷新 is clicked; the refreshed code works.
func (s *Site) ExpireQR() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, q := range s.qrs {
		if q.state == qrNew || q.state == qrScanned {
			q.state = qrExpired
		}
	}
}

// qrStatus is what the login page's poll gets for token, and the session to
// set when the login is confirmed.
func (s *Site) qrStatus(token string) (state, session string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.qrs[token]
	if q == nil {
		return qrExpired, ""
	}
	return q.stateLocked(time.Now()), q.session
}
