package fakesite

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"time"

	qrcode "github.com/skip2/go-qrcode"
)

// QR code states, as a login page's poll sees them.
const (
	QRNew       = "new"
	QRScanned   = "scanned"
	QRConfirmed = "confirmed"
	QRExpired   = "expired"
)

type qrCode struct {
	state   string
	expires time.Time
	png     []byte
	// session is issued when the phone confirms; the login page's next
	// poll logs the browser in with it.
	session string
}

// ErrNoLiveQR is returned by Scan when no login page shows a QR code that
// can still be scanned.
var ErrNoLiveQR = errors.New("fakesite: no live QR code to scan")

// stateLocked returns the state of q, expiring it when its time is up.
func (q *qrCode) stateLocked(now time.Time) string {
	if (q.state == QRNew || q.state == QRScanned) && now.After(q.expires) {
		q.state = QRExpired
	}
	return q.state
}

// NewQR issues a QR code for a login page and returns its token and a PNG
// data URL of the phone's scan URL for it, so a demo user could even scan
// it with a phone camera. QRImage returns the same PNG for a page that
// loads it from a URL.
func (k *Kernel[P]) NewQR(r *http.Request) (token, dataURL string, err error) {
	token = RandomID(12)
	scanURL := fmt.Sprintf("http://%s/__fake__/scan?token=%s", r.Host, token)
	png, err := qrcode.Encode(scanURL, qrcode.Medium, 240)
	if err != nil {
		return "", "", fmt.Errorf("fakesite: encode qr: %w", err)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.qrs[token] = &qrCode{state: QRNew, expires: time.Now().Add(k.opt.QRLifetime), png: png}
	k.newestQR = token
	return token, "data:image/png;base64," + base64.StdEncoding.EncodeToString(png), nil
}

// QRImage returns the PNG of token's code, nil for an unknown token.
func (k *Kernel[P]) QRImage(token string) []byte {
	k.mu.Lock()
	defer k.mu.Unlock()
	if q := k.qrs[token]; q != nil {
		return q.png
	}
	return nil
}

// Scan plays the phone: it scans the newest QR code that can still be
// scanned and, when confirm is true, also confirms the login on the phone.
// The login page notices within about 300ms.
func (k *Kernel[P]) Scan(confirm bool) error { return k.scan("", confirm) }

func (k *Kernel[P]) scan(token string, confirm bool) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if token == "" {
		token = k.newestQR
	}
	q := k.qrs[token]
	if q == nil {
		return ErrNoLiveQR
	}
	switch q.stateLocked(time.Now()) {
	case QRNew, QRScanned:
	default:
		return fmt.Errorf("%w (newest is %s)", ErrNoLiveQR, q.state)
	}
	q.state = QRScanned
	if confirm {
		q.state = QRConfirmed
		q.session = RandomID(16)
		k.sessions[q.session] = true
	}
	return nil
}

// ExpireQR expires every QR code shown so far, so login pages show their
// expired notice until it is clicked to refresh; the refreshed code works.
func (k *Kernel[P]) ExpireQR() {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, q := range k.qrs {
		if q.state == QRNew || q.state == QRScanned {
			q.state = QRExpired
		}
	}
}

// QRStatus is what a login page's poll gets for token (an unknown token
// counts as expired), and the session to log in with once the login is
// confirmed.
func (k *Kernel[P]) QRStatus(token string) (state, session string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	q := k.qrs[token]
	if q == nil {
		return QRExpired, ""
	}
	return q.stateLocked(time.Now()), q.session
}

// HandleNewQR answers a login page's request for a QR code with the
// token under tokenKey and, unless imageKey is "", the PNG data URL under
// imageKey.
func (k *Kernel[P]) HandleNewQR(tokenKey, imageKey string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, dataURL, err := k.NewQR(r)
		if err != nil {
			WriteJSON(w, http.StatusInternalServerError, k.cfg.API.Fail(k.cfg.API.ServerError, err.Error()))
			return
		}
		data := map[string]string{tokenKey: token}
		if imageKey != "" {
			data[imageKey] = dataURL
		}
		WriteJSON(w, http.StatusOK, k.cfg.API.OK(data))
	}
}

// HandleQRCheck answers a login page's poll for the code named by the
// query parameter tokenParam with {"status": state}. Once the phone
// confirmed, it waits DelayLogin, sets the session cookies and adds
// "redirect_url": redirect, where the page goes next.
func (k *Kernel[P]) HandleQRCheck(tokenParam, redirect string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		state, session := k.QRStatus(r.URL.Query().Get(tokenParam))
		data := map[string]string{"status": state}
		if state == QRConfirmed {
			k.LogIn(w, r, session)
			data["redirect_url"] = redirect
		}
		WriteJSON(w, http.StatusOK, k.cfg.API.OK(data))
	}
}
