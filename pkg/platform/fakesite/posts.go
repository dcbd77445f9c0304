package fakesite

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// Record accepts p unless RejectNext is pending, in which case it returns
// the refusal (the platform's Texts.Rejected for RejectNext("")) and forgets
// the knob. An accepted post makes the next landing page wait DelayManage.
func (k *Kernel[P]) Record(p P) (refusal string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.rejectNext != nil {
		reason := *k.rejectNext
		k.rejectNext = nil
		if reason == "" {
			reason = k.cfg.Texts.Rejected
		}
		return reason
	}
	k.posts = append(k.posts, p)
	k.manageDelayDue = true
	return ""
}

// Published returns every accepted publish, in order.
func (k *Kernel[P]) Published() []P {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := make([]P, len(k.posts))
	copy(out, k.posts)
	return out
}

// newest returns the accepted publishes, newest first, as a posts page
// lists them.
func (k *Kernel[P]) newest() []P {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := make([]P, 0, len(k.posts))
	for i := len(k.posts) - 1; i >= 0; i-- {
		out = append(out, k.posts[i])
	}
	return out
}

// LandingDelay waits DelayManage if a publish was accepted since the last
// call: the page an accepted publish lands on is slow once per publish, as
// the real sites are under load.
func (k *Kernel[P]) LandingDelay(r *http.Request) {
	k.mu.Lock()
	due := k.manageDelayDue
	k.manageDelayDue = false
	k.mu.Unlock()
	if due {
		k.Sleep(r, DelayManage)
	}
}

// Landing serves h as the page an accepted publish lands on (see
// LandingDelay).
func (k *Kernel[P]) Landing(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		k.LandingDelay(r)
		h(w, r)
	}
}

// PostsPage serves the page name of the platform's Web folder with
// {"Posts": the accepted posts, newest first}; its function when shows a
// time as Config.When does.
func (k *Kernel[P]) PostsPage(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		k.render(w, name, map[string]any{"Posts": k.newest()})
	}
}

// Submit is the handler of a platform's publish request, whose JSON body
// decodes into R: after DelaySubmit, accept validates and records it (with
// Video, CoverSHA256 and Record) and returns the post or the refusal,
// which goes back in the platform's envelope with API.Refused. The answer
// to an accepted post carries answer(post) as its data.
func Submit[R, P any](k *Kernel[P], accept func(req R) (P, string), answer func(P) any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		api := k.cfg.API
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		var req R
		if err == nil {
			err = json.Unmarshal(body, &req)
		}
		if err != nil {
			WriteJSON(w, http.StatusBadRequest, api.Fail(api.BadRequest, k.cfg.Texts.Malformed))
			return
		}
		k.Sleep(r, DelaySubmit)
		if !k.verified(body) {
			WriteJSON(w, http.StatusOK, api.Fail(api.Verify, k.cfg.Texts.Verify))
			return
		}
		p, refusal := accept(req)
		if refusal != "" {
			WriteJSON(w, http.StatusOK, api.Fail(api.Refused, refusal))
			return
		}
		WriteJSON(w, http.StatusOK, api.OK(answer(p)))
	}
}

// verified reports whether a publish request may go on: no verification is
// pending, or the request carries its code (verify_code), which ends it.
func (k *Kernel[P]) verified(body []byte) bool {
	var v struct {
		Code string `json:"verify_code"`
	}
	_ = json.Unmarshal(body, &v)
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.verifyCode == "" {
		return true
	}
	if v.Code != k.verifyCode {
		return false
	}
	k.verifyCode = ""
	return true
}

// Schedule is a site's rule for the time its schedule input takes, and
// its refusals.
type Schedule struct {
	// Layout is the input's format, on Beijing time (Parse only).
	Layout string
	// Min and Max are how far ahead of now a scheduled publish must be;
	// zero Max means no limit.
	Min, Max time.Duration
	// Unparsed refuses a value that is not in Layout; TooSoon and TooLate
	// a time outside Min and Max.
	Unparsed, TooSoon, TooLate string
}

// Parse reads the schedule input's value v at now: the time, or the
// site's refusal.
func (s Schedule) Parse(v string, now time.Time) (time.Time, string) {
	at, err := time.ParseInLocation(s.Layout, strings.TrimSpace(v), Beijing)
	if err != nil {
		return time.Time{}, s.Unparsed
	}
	return at, s.Check(at, now)
}

// Check returns the site's refusal of the scheduled time at, "" when it
// is between Min and Max ahead of now.
func (s Schedule) Check(at, now time.Time) string {
	switch {
	case at.Before(now.Add(s.Min)):
		return s.TooSoon
	case s.Max > 0 && at.After(now.Add(s.Max)):
		return s.TooLate
	}
	return ""
}

// Text is a publish's text as every site records it, the first fields of
// its Post: the title, the description without the #tags, and the tags.
type Text struct {
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Tags        []string `json:"tags"`
}

// Caption reads an editor's text as the sites without a title field do:
// the first line is the title, the rest without its #tags the
// description.
func Caption(text string) Text {
	first, rest := FirstLine(text)
	desc, tags := SplitTags(rest)
	return Text{Title: strings.TrimSpace(first), Description: desc, Tags: tags}
}

// tagRE finds #tags; \p{Z} because a contenteditable stores typed spaces as U+00A0.
var tagRE = regexp.MustCompile(`#([^\s\p{Z}#]+)`)

// SplitTags separates the #tags typed into text from the rest, whose
// white space it folds to single spaces.
func SplitTags(text string) (rest string, tags []string) {
	for _, m := range tagRE.FindAllStringSubmatch(text, -1) {
		tags = append(tags, m[1])
	}
	return strings.Join(strings.Fields(tagRE.ReplaceAllString(text, " ")), " "), tags
}

// FirstLine splits an editor's text into its first line and the rest, as
// the platforms that take the first line for the title read it; typed
// no-break spaces count as spaces.
func FirstLine(text string) (first, rest string) {
	text = strings.ReplaceAll(text, "\u00a0", " ")
	first, rest, _ = strings.Cut(strings.TrimSpace(text), "\n")
	return first, rest
}
