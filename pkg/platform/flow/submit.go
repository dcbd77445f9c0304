package flow

import (
	"cmp"
	"context"
	"fmt"
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
	// Done, when set, is a JavaScript expression, true when the page
	// confirms the publish in place (a success layer on the same URL);
	// it confirms the publish as Mark does. Empty means Mark alone.
	Done string
}

type submitState struct {
	URL       string `json:"url"`
	Done      bool   `json:"done"`
	Toast     string `json:"toast"`
	Login     bool   `json:"login"`
	Blocked   bool   `json:"blocked"`
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
	done := cmp.Or(s.Done, "false")
	probe := fmt.Sprintf(`(() => { %s
const isErr = el => %s;
return {url: location.href, done: !!(%s), login: isLogin(), blocked: !!(%s), challenge: (%s) || null,
  toast: qa(%s).filter(el => vis(el) && !el.hasAttribute('data-fanout-seen') && isErr(el)).map(el => el.innerText.trim()).join('; ')}; })()`,
		s.EachPoll, isErr, done, blocked, challenge, browser.JS(s.Toasts))
	what := "url~" + s.Mark
	if s.Done != "" {
		what = s.Done
	}
	var st submitState
	for {
		err := browser.Until(ctx, timeout, s.Step+".confirm", what, func(ctx context.Context) (bool, error) {
			var err error
			if st, err = Eval[submitState](ctx, p, probe); err != nil {
				return false, err
			}
			return st.confirmed(s) || st.Toast != "" || st.Login || st.Blocked || st.Challenge != nil, nil
		})
		if err != nil || st.Challenge == nil || st.confirmed(s) {
			return p.submitted(ctx, s, st, err)
		}
		if err := p.verify(ctx, s, st.Challenge.Kind, st.Challenge.Text); err != nil {
			return "", err
		}
	}
}

// confirmed reports whether the page confirms the publish: its URL has
// s.Mark, or s.Done holds.
func (st submitState) confirmed(s Submit) bool {
	return st.Done || (s.Mark != "" && strings.Contains(st.URL, s.Mark))
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
	case st.confirmed(s):
		return st.URL, nil
	case st.Toast != "":
		return "", fmt.Errorf("%s: %s: %s: %w", p.name, s.Step, st.Toast, platform.ErrRejected)
	case st.Blocked:
		return "", blockedErr(p, s.BlockedErr, s.Step)
	}
	return "", fmt.Errorf("%s: %s: redirected to the login page: %w", p.name, s.Step, platform.ErrLoginRequired)
}
