package flow

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
)

// Submit is how to make one site's final click and see its answer.
type Submit struct {
	// Step is "publish", or "draft" when saving a draft; it names the
	// steps (<Step>.confirm) and prefixes errors.
	Step string
	// Toasts is the CSS of the site's messages. One that appears after the
	// click and is an error (ErrorToast) is the platform refusing the post
	// (platform.ErrRejected); a success or info message never is: success
	// is where the site goes (Mark).
	Toasts string
	// ErrorToast is a JavaScript expression over el (a message), true when
	// it is an error: the site's error type, or a known refusal text.
	// Empty means DefaultErrorToast.
	ErrorToast string
	// Challenge, when set, is a JavaScript expression yielding
	// {kind, text} while the page asks for a verification a person must
	// give (an SMS code), or null; Answer then enters the person's answer
	// (platform.Ask) and confirms it, and the wait goes on.
	Challenge string
	Answer    func(ctx context.Context, a platform.Answer) error
	// Click makes the final click.
	Click func(ctx context.Context) error
	// EachPoll is JavaScript statements run before each look, such as
	// answering a confirmation dialog. Optional.
	EachPoll string
	// Blocked is a JavaScript expression, true when the page asks for
	// something only a person can do; BlockedErr is then the error.
	// Optional.
	Blocked    string
	BlockedErr func(op string) error
	// Mark is part of the URL of the page that confirms the publish.
	Mark string
	// Confirmed, for a site that confirms a publish in place (a dialog
	// with the post's link) rather than on another page, is a JavaScript
	// expression yielding the post's URL once the page shows it, else "";
	// Submit then returns that URL. Optional; with it Mark may be empty.
	Confirmed string
	// Marks are further URL parts that confirm it as Mark does, for a
	// site that lands on one of several pages. Optional.
	Marks []string
}

// markList is the confirming URL parts: Mark and Marks, without empties.
func (s Submit) markList() []string {
	return slices.DeleteFunc(append([]string{s.Mark}, s.Marks...), func(m string) bool { return m == "" })
}

// marks names the confirming URL parts, for errors.
func (s Submit) marks() string { return strings.Join(s.markList(), "|") }

// confirms reports whether url is a page that confirms the publish.
func (s Submit) confirms(url string) bool {
	return slices.ContainsFunc(s.markList(), func(m string) bool { return strings.Contains(url, m) })
}

type submitState struct {
	URL       string `json:"url"`
	Toast     string `json:"toast"`
	Login     bool   `json:"login"`
	Blocked   bool   `json:"blocked"`
	Confirmed string `json:"confirmed"`
	Challenge *struct {
		Kind string `json:"kind"`
		Text string `json:"text"`
	} `json:"challenge"`
}

// DefaultErrorToast tells an error message from a success or info one: the
// message (or the box around it) has an error, fail, danger or warning
// type in its class, or its text is a refusal. A Semi toast, Douyin's, is
// .semi-toast-error / .semi-toast-success around .semi-toast-content.
const DefaultErrorToast = `(() => {
  for (let e = el, i = 0; e && i < 4; e = e.parentElement, i++) {
    const c = typeof e.className === 'string' ? e.className : '';
    if (/success|info|loading/i.test(c)) return false;
    if (/error|fail|danger|warn/i.test(c)) return true;
  }
  return /失败|违规|违反|不通过|未通过|错误|异常|拒绝|不能|不支持|请先|请设置|请输入|请选择|failed|error|not allowed|violat|unable/i.test(el.innerText || '');
})()`

// blockedErr is the error for a page that asks for something only a person
// can do: the site's own, else a generic ErrLoginRequired.
func blockedErr(p *Page, siteErr func(op string) error, op string) error {
	if siteErr != nil {
		return siteErr(op)
	}
	return fmt.Errorf("%s: %s: the site asks for a check only the account owner can pass: %w", p.name, op, platform.ErrLoginRequired)
}

// Submit marks the messages already shown (they belong to earlier steps),
// runs s.Click and waits, for at most timeout, for the confirming page,
// which it returns the URL of. A new message means the platform refused
// the post; the login page means the session expired.
func (p *Page) Submit(ctx context.Context, timeout time.Duration, s Submit) (string, error) {
	if _, err := Eval[bool](ctx, p, fmt.Sprintf(`(qa(%s).forEach(el => el.setAttribute('data-fanout-seen', '1')), true)`, browser.JS(s.Toasts))); err != nil {
		return "", p.StepErr(ctx, s.Step, err)
	}
	if err := s.Click(ctx); err != nil {
		return "", p.StepErr(ctx, s.Step, err)
	}
	blocked := cmp.Or(s.Blocked, "false")
	isErr := cmp.Or(s.ErrorToast, DefaultErrorToast)
	challenge := cmp.Or(s.Challenge, "null")
	confirmed := cmp.Or(s.Confirmed, "''")
	probe := fmt.Sprintf(`(() => { %s
const isErr = el => %s;
return {url: location.href, login: isLogin(), blocked: !!(%s), challenge: (%s) || null, confirmed: (%s) || '',
  toast: qa(%s).filter(el => vis(el) && !el.hasAttribute('data-fanout-seen') && isErr(el)).map(el => el.innerText.trim()).join('; ')}; })()`,
		s.EachPoll, isErr, blocked, challenge, confirmed, browser.JS(s.Toasts))
	for {
		st, err := p.outcome(ctx, timeout, s, probe)
		if err != nil || st.Challenge == nil || s.done(st) {
			return p.submitted(ctx, s, st, err)
		}
		if err := p.verify(ctx, s, st.Challenge.Kind, st.Challenge.Text); err != nil {
			return "", err
		}
	}
}

// outcome waits, for at most timeout, until the page shows how the click
// ended (the confirming page, a message, the login page, a block or a
// challenge), and reads it. The wait is event-driven (Page.Wait wakes on
// the DOM change or navigation that shows it); the read that follows may
// find the page gone on (a navigation between the two), and then waits
// again.
func (p *Page) outcome(ctx context.Context, timeout time.Duration, s Submit, probe string) (submitState, error) {
	marks, _ := json.Marshal(s.markList())
	cond := fmt.Sprintf(`(() => { const st = %s;
return !!(st.confirmed || st.toast || st.login || st.blocked || st.challenge || %s.some(m => st.url.includes(m))); })()`, probe, marks)
	deadline := time.Now().Add(timeout)
	for {
		if err := p.Wait(ctx, time.Until(deadline), s.Step+".confirm", "url~"+s.marks(), cond); err != nil {
			return submitState{}, err
		}
		st, err := Eval[submitState](ctx, p, probe)
		if err == nil && (s.done(st) || st.Toast != "" || st.Login || st.Blocked || st.Challenge != nil) {
			return st, nil
		}
		if ctx.Err() != nil {
			return submitState{}, ctx.Err()
		}
	}
}

// done reports whether st is the page that confirms the publish: the URL
// with Mark, or what Confirmed finds.
func (s Submit) done(st submitState) bool {
	return s.confirms(st.URL) || st.Confirmed != ""
}

// verify asks a person for the verification the page shows (with a
// screenshot of it) and enters the answer; the publish goes on in the same
// attempt.
func (p *Page) verify(ctx context.Context, s Submit, kind, text string) error {
	if s.Answer == nil {
		return fmt.Errorf("%s: %s: the site asks for a verification (%s): %w", p.name, s.Step, text, platform.ErrNoAsker)
	}
	shot, _ := browser.Screenshot(ctx)
	a, err := platform.Ask(ctx, platform.Prompt{Kind: kind, Text: text, Screenshot: shot})
	if err != nil {
		return fmt.Errorf("%s: %s: verification: %w", p.name, s.Step, err)
	}
	if err := s.Answer(ctx, a); err != nil {
		return p.StepErr(ctx, s.Step+" verification", err)
	}
	return nil
}

// submitted reads how Submit's wait ended.
func (p *Page) submitted(ctx context.Context, s Submit, st submitState, err error) (string, error) {
	switch {
	case err != nil:
		return "", p.StepErr(ctx, s.Step, err)
	case st.Confirmed != "":
		return st.Confirmed, nil
	case s.done(st):
		return st.URL, nil
	case st.Toast != "":
		return "", fmt.Errorf("%s: %s: %s: %w", p.name, s.Step, st.Toast, platform.ErrRejected)
	case st.Blocked:
		return "", blockedErr(p, s.BlockedErr, s.Step)
	}
	return "", fmt.Errorf("%s: %s: redirected to the login page: %w", p.name, s.Step, platform.ErrLoginRequired)
}
