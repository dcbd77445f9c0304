package channels

import (
	"context"
	"fmt"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
)

// 实名验证: the site stops a post until the account's admin verifies in
// WeChat, with a dialog that goes once that is done (T:524-549). The
// reference screenshots it and waits up to ten minutes; the driver asks the
// person behind the task (platform.Ask, with a screenshot) and goes on in
// the same attempt once they answer.

// realNameDialog is a JavaScript expression yielding the visible 实名验证
// dialog, or null.
var realNameDialog = fmt.Sprintf(`(qa(%s).find(d => vis(d) && (d.innerText || '').includes(%s)) || null)`,
	browser.JS(selDialogWrap), browser.JS(textRealName))

// realNameChallenge is flow.Submit's Challenge for the dialog: its kind
// and its text.
var realNameChallenge = fmt.Sprintf(`((d) => d ? {kind: %s, text: (d.innerText || '').trim().replace(/\s+/g, ' ')} : null)(%s)`,
	browser.JS(platform.VerifyRealName), realNameDialog)

// passRealName asks a person to pass the real-name check when the page
// shows its dialog, and waits until the dialog goes; it does nothing when
// the page shows none.
func (d *Driver) passRealName(ctx context.Context, op string) error {
	c, err := evalJS[*struct{ Kind, Text string }](ctx, realNameChallenge)
	if err != nil {
		return page.StepErr(ctx, op, err)
	}
	if c == nil {
		return nil
	}
	shot, _ := browser.Screenshot(ctx)
	a, err := platform.Ask(ctx, platform.Prompt{Kind: platform.VerifyRealName, Text: c.Text, Screenshot: shot})
	if err != nil {
		return fmt.Errorf("channels: %s: %s: %w", op, textRealName, err)
	}
	if err := d.answerRealName(ctx, a); err != nil {
		return page.StepErr(ctx, op+": "+textRealName, err)
	}
	return nil
}

// answerRealName enters a person's answer to the dialog: a code, where the
// dialog takes one, is typed and confirmed; then the dialog must go (the
// phone's confirmation closes it). The person said it is done, so the wait
// is short.
func (d *Driver) answerRealName(ctx context.Context, a platform.Answer) error {
	if a.Code != "" {
		input := fmt.Sprintf(`((dl) => dl ? qa(%s, dl).find(vis) || null : null)(%s)`, browser.JS(selRealNameCode), realNameDialog)
		ok, err := evalJS[bool](ctx, "!!"+input)
		if err != nil {
			return err
		}
		if ok {
			if err := browser.FocusJS(ctx, "realname.code", selDialogWrap+" "+selRealNameCode, page.Expr(input)); err != nil {
				return err
			}
			if err := browser.InsertText(ctx, a.Code); err != nil {
				return err
			}
			btn := fmt.Sprintf(`((dl) => dl ? qa(%s, dl).find(vis) || null : null)(%s)`, browser.JS(selRealNameOK), realNameDialog)
			if err := page.WaitClick(ctx, d.to.Element, "realname.confirm", selDialogWrap+" "+selRealNameOK, btn); err != nil {
				return err
			}
		}
	}
	return page.Wait(ctx, d.to.Element, "realname.wait", selDialogWrap+`:has-text("`+textRealName+`") gone`, "!"+realNameDialog)
}

// realNameSubmit is what flow.Submit needs to answer the dialog when a
// post is stopped by it: once it is gone, click (the post again).
func (d *Driver) realNameSubmit(s *flow.Submit) {
	click := s.Click
	s.Challenge = realNameChallenge
	s.Answer = func(ctx context.Context, a platform.Answer) error {
		if err := d.answerRealName(ctx, a); err != nil {
			return err
		}
		return click(ctx)
	}
}
