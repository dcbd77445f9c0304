package fakesite

import (
	"encoding/json"
	"net/http"
	"time"
)

// Knobs is the body of POST /__fake__/knobs. Every field is optional; a
// missing field leaves that knob as it is.
type Knobs struct {
	RequireLogin   *bool             `json:"require_login,omitempty"`
	ExpireQR       bool              `json:"expire_qr,omitempty"`
	ExpireSessions bool              `json:"expire_sessions,omitempty"`
	FailNextUpload bool              `json:"fail_next_upload,omitempty"`
	RejectNext     *string           `json:"reject_next,omitempty"`
	BreakLayout    *bool             `json:"break_layout,omitempty"`
	SuccessToast   *bool             `json:"success_toast,omitempty"`
	BreakOptions   map[string]bool   `json:"break_options,omitempty"` // option → broken
	RequireCode    *string           `json:"require_verification,omitempty"`
	Delays         map[string]string `json:"delays,omitempty"` // step → Go duration ("2s"); "0" removes
}

// Apply turns the knobs that kn sets. A bad duration changes nothing.
func (k *Kernel[P]) Apply(kn Knobs) error {
	delays := map[string]time.Duration{}
	for step, v := range kn.Delays {
		d, err := time.ParseDuration(v)
		if err != nil {
			return err
		}
		delays[step] = d
	}
	if kn.RequireLogin != nil {
		k.RequireLogin(*kn.RequireLogin)
	}
	if kn.ExpireQR {
		k.ExpireQR()
	}
	if kn.ExpireSessions {
		k.ExpireSessions()
	}
	if kn.FailNextUpload {
		k.FailNextUpload()
	}
	if kn.RejectNext != nil {
		k.RejectNext(*kn.RejectNext)
	}
	if kn.BreakLayout != nil {
		k.BreakLayout(*kn.BreakLayout)
	}
	for step, d := range delays {
		k.SetDelay(step, d)
	}
	if kn.SuccessToast != nil {
		k.ShowSuccessToast(*kn.SuccessToast)
	}
	for o, b := range kn.BreakOptions {
		k.BreakOption(o, b)
	}
	if kn.RequireCode != nil {
		k.RequireVerification(*kn.RequireCode)
	}
	return nil
}

// ShowSuccessToast makes the pages show the site's success message (发布成功)
// after an accepted publish and only then move on, as a copy of Douyin's
// pages does (Semi-Design sites often do; whether each real site does is
// not recorded: assumed). A driver must not take it as a refusal.
func (k *Kernel[P]) ShowSuccessToast(v bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.successToast = v
}

// BreakOption removes the page's control for an optional step (the
// elements marked data-option=name: "declaration", "cover"…), so that a
// default step fails (and must be skipped with a warning) and an explicit
// one fails naming the step.
func (k *Kernel[P]) BreakOption(name string, broken bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if broken {
		k.brokenOptions[name] = true
	} else {
		delete(k.brokenOptions, name)
	}
}

// RequireVerification makes the next publish need a verification first:
// the site answers it with its verification request (API.Verify,
// Texts.Verify) until the request carries verify_code = code, as Douyin's
// SMS check during publish does (D:1077-1093). "" removes the knob.
func (k *Kernel[P]) RequireVerification(code string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.verifyCode = code
}

// VerificationCode is the code a pending verification was "sent" (the
// simulated phone's SMS); "" when none is pending.
func (k *Kernel[P]) VerificationCode() string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.verifyCode
}

// pageKnobs are the knobs a page applies itself, as the JSON its body's
// data-knobs carries for kit.js.
func (k *Kernel[P]) pageKnobs() string {
	k.mu.Lock()
	defer k.mu.Unlock()
	broken := make([]string, 0, len(k.brokenOptions))
	for o := range k.brokenOptions {
		broken = append(broken, o)
	}
	b, _ := json.Marshal(map[string]any{"trusted": k.cfg.TrustedInput, "success_toast": k.successToast, "broken": broken})
	return string(b)
}

// RequireLogin sets whether pages need a valid session (the default). With
// false every request counts as logged in.
func (k *Kernel[P]) RequireLogin(v bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.requireLogin = v
}

// ExpireSessions makes every session issued so far invalid, as when the
// platform logs an account out: pages redirect to the login page and a
// publish in progress is sent there on submit.
func (k *Kernel[P]) ExpireSessions() {
	k.mu.Lock()
	defer k.mu.Unlock()
	for id := range k.sessions {
		k.sessions[id] = false
	}
}

// FailNextUpload makes the next video upload fail once: the page shows its
// upload error, and choosing the file again works. Each call adds one more
// failing upload, so n calls fail the next n attempts.
func (k *Kernel[P]) FailNextUpload() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.failUploads++
}

// RejectNext makes the platform refuse the next publish with reason, which
// the page shows in its error message; "" means the platform's usual
// refusal.
func (k *Kernel[P]) RejectNext(reason string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.rejectNext = &reason
}

// BreakLayout (true) serves the redesigned page instead of the one with
// the upload controls, as after a site redesign, so a driver's wait for
// them must fail.
func (k *Kernel[P]) BreakLayout(v bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.brokenLayout = v
}

// SetDelay slows a step down: DelayUpload, DelayManage, DelayLogin or
// DelaySubmit. Zero removes the delay.
func (k *Kernel[P]) SetDelay(step string, d time.Duration) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if d <= 0 {
		delete(k.delays, step)
		return
	}
	k.delays[step] = d
}

// Sleep waits for the delay configured for step, or until the request ends.
func (k *Kernel[P]) Sleep(r *http.Request, step string) {
	k.mu.Lock()
	d := k.delays[step]
	k.mu.Unlock()
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	}
}
