// Package flow holds what the platform drivers (pkg/platform/douyin,
// kuaishou, xiaohongshu, channels, tiktok) share: their configuration
// defaults, the request rules every platform applies, the JavaScript
// library their page checks run with, and the flows that differ between
// sites only in selectors and texts — the session check, the QR login loop,
// the publish sequence with its progress reports, the in-page upload wait
// with its bounded retries, the submit-and-confirm wait and the
// after-the-fact lookup. A driver supplies its site's probes and actions;
// the loops here keep every wait bounded and condition-based, honour ctx,
// and name the failed step in a *web.SelectorError.
package flow

import (
	"strings"
	"time"
)

// Timeouts bound each kind of wait a driver makes. The defaults
// (DefaultTimeouts) are generous because the real sites are slow under
// load; tests use short ones. Zero fields take the defaults.
type Timeouts struct {
	// Page bounds a navigation. Default 60s.
	Page time.Duration
	// Element bounds the wait for an element or text that should already
	// be on its way (a dialog opening, a button enabling). Default 20s.
	Element time.Duration
	// Form bounds the wait for the publish form after the video was
	// chosen; some sites render it only after part of the upload.
	// Default 2 min.
	Form time.Duration
	// Upload bounds the upload and processing of the video, retries
	// included. Default 10 min.
	Upload time.Duration
	// Publish bounds the wait for the page that confirms a publish after
	// the final click. Default 60s.
	Publish time.Duration
	// Login bounds a whole QR login, including refreshed codes. Default 3 min.
	Login time.Duration
}

// DefaultTimeouts are the bounds a driver uses where its Config leaves a
// field zero and the driver names no other default.
var DefaultTimeouts = Timeouts{
	Page:    60 * time.Second,
	Element: 20 * time.Second,
	Form:    2 * time.Minute,
	Upload:  10 * time.Minute,
	Publish: 60 * time.Second,
	Login:   3 * time.Minute,
}

// WithDefaults returns t with each zero (or negative) field taken from def.
func (t Timeouts) WithDefaults(def Timeouts) Timeouts {
	pick := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	pick(&t.Page, def.Page)
	pick(&t.Element, def.Element)
	pick(&t.Form, def.Form)
	pick(&t.Upload, def.Upload)
	pick(&t.Publish, def.Publish)
	pick(&t.Login, def.Login)
	return t
}

// DefaultUploadRetries is how many times a failed upload is retried in the
// page when a driver's Config says nothing.
const DefaultUploadRetries = 3

// Beijing is the wall clock of the Chinese sites' schedule inputs (UTC+8).
var Beijing = time.FixedZone("CST", 8*3600)

// Settings are the fields every driver's Config has, in the order douyin's
// and xiaohongshu's Config declare them, so that those convert directly.
type Settings struct {
	// BaseURL is the site the driver opens; trailing slashes are dropped.
	BaseURL string
	// Declaration is the declaration chosen when a request names none.
	Declaration string
	// Timeouts bound the waits.
	Timeouts Timeouts
	// UploadRetries is how many times a failed upload is retried in the
	// page before the publish fails with platform.ErrUploadFailed.
	UploadRetries int
	// Location is the wall clock of the site's schedule input.
	Location *time.Location
}

// WithDefaults returns s with each empty field taken from def, and where
// def leaves it empty too: DefaultTimeouts, DefaultUploadRetries and
// Beijing time. An empty Declaration in both stays empty (no declaration).
func (s Settings) WithDefaults(def Settings) Settings {
	s.BaseURL = strings.TrimRight(s.BaseURL, "/")
	if s.BaseURL == "" {
		s.BaseURL = strings.TrimRight(def.BaseURL, "/")
	}
	if s.Declaration == "" {
		s.Declaration = def.Declaration
	}
	s.Timeouts = s.Timeouts.WithDefaults(def.Timeouts.WithDefaults(DefaultTimeouts))
	if s.UploadRetries <= 0 {
		s.UploadRetries = def.UploadRetries
	}
	if s.UploadRetries <= 0 {
		s.UploadRetries = DefaultUploadRetries
	}
	if s.Location == nil {
		s.Location = def.Location
	}
	if s.Location == nil {
		s.Location = Beijing
	}
	return s
}
