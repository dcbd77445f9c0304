// Package flowtest holds the driver tests that check flow's bounded loops
// and request rules through each platform's driver and fake site: cases that
// need a driver built with the test's own timeouts, which
// platformtest.Exercise does not build. Every driver package runs Exercise
// next to platformtest.Exercise.
package flowtest

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
	"fanout/pkg/platform/platformtest"
)

// Timeouts are short so that the failure cases end in seconds.
var Timeouts = flow.Timeouts{
	Page: 10 * time.Second, Element: 3 * time.Second, Form: 10 * time.Second,
	Upload: 20 * time.Second, Publish: 10 * time.Second, Login: 20 * time.Second,
}

// Posts converts a fake site's record of accepted publishes to
// platformtest's, field by field: each field of platformtest.Post takes the
// post's field of the same name and type, when it has one.
func Posts[P any](posts []P) []platformtest.Post {
	var out []platformtest.Post
	for _, p := range posts {
		src := reflect.Indirect(reflect.ValueOf(p))
		var post platformtest.Post
		dst := reflect.ValueOf(&post).Elem()
		for i := range dst.NumField() {
			f := src.FieldByName(dst.Type().Field(i).Name)
			if f.IsValid() && f.Type() == dst.Field(i).Type() {
				dst.Field(i).Set(f)
			}
		}
		out = append(out, post)
	}
	return out
}

// Request is platformtest.Request(title) changed by edit, for
// Harness.Invalid.
func Request(title string, edit func(r *platform.PublishRequest)) platform.PublishRequest {
	r := platformtest.Request(title)
	edit(&r)
	return r
}

// Refusal is a request the page shows to be invalid, and a text the
// error must name ("" for any).
type Refusal struct {
	Req  platform.PublishRequest
	Want string
}

// Harness tells Exercise how to build a platform's driver and fake site.
type Harness struct {
	// Invalid are requests the platform refuses before it touches the
	// page, besides a schedule less than two hours ahead, which every
	// platform refuses.
	Invalid map[string]platform.PublishRequest
	// Refused are requests the driver finds invalid only on the page (a
	// declaration the page does not offer, a product it does not find).
	Refused map[string]Refusal
	// TitleLimit, when set, is how many characters of a title the site
	// keeps, and Title the title as the driver cuts it (the form
	// FindPublished looks for).
	TitleLimit int
	Title      func(string) string
	// Conformance tunes platformtest.Exercise (Timeout, ScheduleStep,
	// Declaration); Exercise fills in its NewDriver, NewDriver with
	// Timeouts, and its NewSite.
	Conformance platformtest.Harness
	// Timeouts bound the conformance suite's driver; zero fields take the
	// package's Timeouts.
	Timeouts flow.Timeouts
	// NewDriver returns the driver pointed at baseURL with the waits
	// bounded by to and the default number of upload retries.
	NewDriver func(baseURL string, to flow.Timeouts) platform.Driver
	// NewSite starts a fresh fake site (see Sites).
	NewSite func(t *testing.T) platformtest.Site
}

// Exercise runs platformtest.Exercise (as the subtest Conformance) and the
// cases here, one subtest each; the cases of Refused and TitleLimit run with
// the conformance suite's timeouts.
func Exercise(t *testing.T, h Harness) {
	conf := h.Conformance
	to := h.Timeouts.WithDefaults(Timeouts)
	conf.NewDriver = func(baseURL string) platform.Driver { return h.NewDriver(baseURL, to) }
	conf.NewSite = h.NewSite
	t.Run("Conformance", func(t *testing.T) { platformtest.Exercise(t, conf) })
	t.Run("InvalidRequestsFailBeforeThePage", func(t *testing.T) {
		soon := platformtest.Request("定时太近")
		soon.ScheduleAt = time.Now().Add(time.Hour)
		cases := map[string]platform.PublishRequest{"ScheduleTooSoon": soon}
		for name, req := range h.Invalid {
			cases[name] = req
		}
		// No tab is needed: the requests fail before the page is touched.
		d := h.NewDriver("http://127.0.0.1:1", Timeouts)
		for name, req := range cases {
			t.Run(name, func(t *testing.T) {
				start := time.Now()
				_, err := d.Publish(t.Context(), req, (&platformtest.Recorder{}).Func)
				if !errors.Is(err, platform.ErrInvalidRequest) {
					t.Fatalf("Publish = %v, want ErrInvalidRequest", err)
				}
				if took := time.Since(start); took > time.Second {
					t.Errorf("validation took %s", took)
				}
			})
		}
	})
	t.Run("InvalidOnThePage", func(t *testing.T) {
		for name, c := range h.Refused {
			t.Run(name, func(t *testing.T) {
				site := h.NewSite(t)
				ctx := platformtest.NewTab(t, site.SessionCookies(), 60*time.Second)
				_, err := h.NewDriver(site.URL(), to).Publish(ctx, c.Req, (&platformtest.Recorder{}).Func)
				if !errors.Is(err, platform.ErrInvalidRequest) || !strings.Contains(err.Error(), c.Want) {
					t.Fatalf("Publish = %v, want ErrInvalidRequest naming %q", err, c.Want)
				}
				if posts := site.Published(); len(posts) != 0 {
					t.Errorf("posts = %+v, want none", posts)
				}
			})
		}
	})
	if h.TitleLimit > 0 {
		t.Run("TitleCut", func(t *testing.T) {
			site := h.NewSite(t)
			title := strings.Repeat("长", h.TitleLimit-5) + "标题超过上限会被截断"
			ctx := platformtest.NewTab(t, site.SessionCookies(), 60*time.Second)
			if _, err := h.NewDriver(site.URL(), to).Publish(ctx, platformtest.Request(title), (&platformtest.Recorder{}).Func); err != nil {
				t.Fatalf("Publish: %v", err)
			}
			want := string([]rune(title)[:h.TitleLimit])
			if posts := site.Published(); len(posts) != 1 || posts[0].Title != want {
				t.Fatalf("posts = %+v, want one with title %q", posts, want)
			}
			if got := h.Title(title); got != want {
				t.Errorf("Title() = %q, want %q", got, want)
			}
		})
	}
	t.Run("UploadKeepsFailing", func(t *testing.T) {
		site := h.NewSite(t)
		for range flow.DefaultUploadRetries + 1 { // the first try and every retry
			site.FailNextUpload()
		}
		ctx := platformtest.NewTab(t, site.SessionCookies(), 60*time.Second)
		_, err := h.NewDriver(site.URL(), Timeouts).Publish(ctx, platformtest.Request("一直上传失败"), (&platformtest.Recorder{}).Func)
		if !errors.Is(err, platform.ErrUploadFailed) {
			t.Fatalf("Publish = %v, want ErrUploadFailed", err)
		}
		if posts := site.Published(); len(posts) != 0 {
			t.Errorf("posts = %+v, want none", posts)
		}
	})
	if h.Conformance.CookieLogin {
		return // no QR login: accounts are added by importing cookies
	}
	t.Run("LoginTimesOut", func(t *testing.T) {
		site := h.NewSite(t)
		ctx := platformtest.NewTab(t, nil, 30*time.Second)
		to := Timeouts
		// Long enough for a loaded CI machine to show the code (Channels'
		// is in a cross-origin frame), short enough to end the test soon.
		to.Login = 5 * time.Second
		var qr int
		err := h.NewDriver(site.URL(), to).Login(ctx, func(c platform.Challenge) error {
			if c.Phase == platform.PhaseQRCode {
				qr++
			}
			return nil
		})
		if !errors.Is(err, platform.ErrLoginTimeout) {
			t.Fatalf("Login = %v, want ErrLoginTimeout", err)
		}
		if qr == 0 {
			t.Errorf("no QR code reported before the timeout")
		}
	})
}
