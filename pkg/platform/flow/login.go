package flow

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/web"
)

// LoginState is one look at a login page, as a QRLogin probe reports it.
type LoginState struct {
	// Done: the page looks logged in; the session cookie decides.
	Done bool `json:"done"`
	// Form: the page shows its login form (or its QR code).
	Form bool `json:"form"`
	// Switch: the page shows another way to log in; QRLogin.Switch turns
	// it to the QR code.
	Switch bool `json:"switch"`
	// Expired: the code shown has expired.
	Expired bool `json:"expired"`
	// Scanned: the code shown was scanned and waits for the phone.
	Scanned bool `json:"scanned"`
	// QR is the code as a data URL, "" while none is shown.
	QR string `json:"qr"`
	// Key identifies the code shown when QR does not (a site that draws
	// the same image anew); default QR.
	Key string `json:"key"`
}

// Action is a click a login may need.
type Action struct {
	// Step names the click in errors ("login.refresh").
	Step string
	// What names the element in a *web.SelectorError.
	What string
	// Expr is a JavaScript expression yielding the element or null.
	Expr string
}

// QRLogin is one site's QR login page: where it is, how to read it and how
// to act on it.
type QRLogin struct {
	// URL is the login page.
	URL string
	// Probe is a JavaScript expression yielding a LoginState.
	Probe string
	// Cookie is the session cookie a finished login holds.
	Cookie string
	// MissingStep and MissingWhat name the step and the element of the
	// *web.SelectorError when no login form shows within
	// Timeouts.Element: the page changed.
	MissingStep, MissingWhat string
	// Refresh clicks an expired code to get a new one.
	Refresh Action
	// Switch turns the page to its QR code when LoginState.Switch says so.
	// Optional.
	Switch Action
	// Expired and Scanned are the messages of PhaseExpired and
	// PhaseScanned.
	Expired, Scanned string
}

// actionEvery is how often a login click may repeat, so a slow page is not
// clicked twice (a switch would toggle back) while an ignored click is
// still retried.
const actionEvery = 3 * time.Second

// Login implements platform.Driver's Login for the page l. It reports every
// QR code it sees (PhaseQRCode, again after each refresh), PhaseScanned once
// per code, PhaseExpired before it clicks l.Refresh on an expired code, and
// PhaseSucceeded when the page looks logged in and the tab holds l.Cookie.
// It gives up with platform.ErrLoginTimeout after to.Login; an onChallenge
// error ends it.
func (p *Page) Login(ctx context.Context, to Timeouts, l QRLogin, onChallenge func(platform.Challenge) error) error {
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, to.Login)
	defer cancel()
	timedOut := func() error {
		return fmt.Errorf("%s: login: no scan within %s: %w", p.name, to.Login, platform.ErrLoginTimeout)
	}
	fail := func(err error) error {
		switch {
		case parent.Err() != nil:
			return fmt.Errorf("%s: login: %w", p.name, parent.Err())
		case ctx.Err() != nil:
			return timedOut()
		}
		return fmt.Errorf("%s: login: %w", p.name, err)
	}
	if err := browser.Navigate(ctx, to.Page, "login.open", l.URL); err != nil {
		return fail(err)
	}
	var (
		shown, scanned, expired string // the codes reported so far
		clickedAt               = map[string]time.Time{}
		cbErr                   error
		sawForm                 bool
		openDeadline            = time.Now().Add(to.Element)
	)
	report := func(c platform.Challenge) bool {
		if err := onChallenge(c); err != nil {
			cbErr = err
			return true
		}
		return false
	}
	click := func(ctx context.Context, a Action) error {
		if time.Since(clickedAt[a.Step]) < actionEvery {
			return nil
		}
		clickedAt[a.Step] = time.Now()
		return p.Click(ctx, a.Step, a.What, a.Expr)
	}
	err := browser.Until(ctx, to.Login, "login.wait", l.Cookie+" after QR login", func(ctx context.Context) (bool, error) {
		st, err := Eval[LoginState](ctx, p, l.Probe)
		if err != nil {
			return false, err
		}
		if st.Done {
			return browser.HasCookie(ctx, l.Cookie)
		}
		key := st.Key
		if key == "" {
			key = st.QR
		}
		if st.Form {
			sawForm = true
		} else if !sawForm && !st.Switch && time.Now().After(openDeadline) {
			cbErr = &web.SelectorError{Step: l.MissingStep, Selector: l.MissingWhat, Err: context.DeadlineExceeded}
			return true, nil
		}
		switch {
		case st.Expired:
			if expired != key {
				expired = key
				if report(platform.Challenge{Phase: platform.PhaseExpired, Message: l.Expired}) {
					return true, nil
				}
			}
			return false, click(ctx, l.Refresh)
		case st.Switch:
			return false, click(ctx, l.Switch)
		}
		if st.QR != "" && key != shown {
			shown = key
			if report(platform.Challenge{Phase: platform.PhaseQRCode, QRCode: st.QR}) {
				return true, nil
			}
		}
		if st.Scanned && key != "" && key != scanned {
			scanned = key
			if report(platform.Challenge{Phase: platform.PhaseScanned, Message: l.Scanned}) {
				return true, nil
			}
		}
		return false, nil
	})
	if cbErr != nil {
		return fail(cbErr)
	}
	if err != nil {
		var se *web.SelectorError
		if errors.As(err, &se) && se.Step == "login.wait" {
			return timedOut()
		}
		return fail(err)
	}
	if err := onChallenge(platform.Challenge{Phase: platform.PhaseSucceeded}); err != nil {
		return fmt.Errorf("%s: login: %w", p.name, err)
	}
	return nil
}

// ShotQR wraps onChallenge for a site that shows its QR code as an image
// URL rather than a data URL: such a code is reported as a screenshot of
// the element sel, which is what a person scans.
func (p *Page) ShotQR(ctx context.Context, sel string, onChallenge func(platform.Challenge) error) func(platform.Challenge) error {
	return func(c platform.Challenge) error {
		if c.Phase == platform.PhaseQRCode && !strings.HasPrefix(c.QRCode, "data:image") {
			shot, err := browser.ScreenshotElement(ctx, "login.qr", sel, p.Expr(fmt.Sprintf(`q(%s)`, browser.JS(sel))))
			if err != nil {
				return err
			}
			c.QRCode = shot
		}
		return onChallenge(c)
	}
}
