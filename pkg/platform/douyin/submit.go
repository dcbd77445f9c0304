package douyin

import (
	"context"
	"errors"
	"fmt"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
)

// errInterrupted ends a wait for the publish when the page asks for
// something first (a cover, the SMS code to be sent), which submit gives
// before it waits again.
var errInterrupted = errors.New("douyin: the page asks for something before it publishes")

// maxInterruptions bounds how often one publish may be interrupted.
const maxInterruptions = 4

// smsLib finds the SMS check: smsInput() is its visible code input,
// smsDialog(el) the dialog around it, smsSent(dlg) whether the code was
// asked for (by the driver, which marks the dialog, or by the countdown
// that replaces 获取验证码).
var smsLib = fmt.Sprintf(`const smsInput = () => %s.map(s => qa(s).find(vis)).find(Boolean) || null;
const smsDialog = el => el.closest('.semi-modal-content') || el.closest('[role="dialog"]') ||
  qa(%s).filter(d => d.contains(el)).shift() || el.parentElement;
const smsSent = dlg => dlg.hasAttribute('data-fanout-sent') || !findText(%s, false, dlg);`,
	flow.JSList(selSMSInputs), browser.JS(selSMSDialog), browser.JS(textSendCode))

// smsExpr evaluates body with smsLib and inp, dlg (null without the check)
// in scope.
func smsExpr(body string) string {
	return `(() => { ` + smsLib + `
const inp = smsInput(); const dlg = inp && smsDialog(inp);
` + body + ` })()`
}

var (
	// smsChallenge is the SMS check once the code was sent: the person
	// is asked for it.
	smsChallenge = smsExpr(fmt.Sprintf(`return dlg && smsSent(dlg) ? {kind: %s, text: (dlg.innerText || '').replace(/\s+/g, ' ').trim()} : null;`,
		browser.JS(platform.VerifySMSCode)))
	// smsUnsent is the SMS check before the code was sent.
	smsUnsent = smsExpr(`return !!dlg && !smsSent(dlg);`)
	// sendCode is 获取验证码 in the SMS check.
	sendCode = smsExpr(fmt.Sprintf(`return dlg && findText(%s, false, dlg);`, browser.JS(textSendCode)))
	// coverRequired is a new 请设置封面后再发布 message.
	coverRequired = fmt.Sprintf(`qa(%s).some(el => vis(el) && !el.hasAttribute('data-fanout-seen') && (el.innerText || '').includes(%s))`,
		browser.JS(selToast), browser.JS(textCoverRequired))
	// errorToast is an error message other than 请设置封面后再发布, which
	// submit answers instead.
	errorToast = fmt.Sprintf(`!(el.innerText || '').includes(%s) && %s`, browser.JS(textCoverRequired), flow.DefaultErrorToast)
)

// submit clicks 发布 and waits for the manage page. On the way the site may
// refuse a post without a cover (submit applies the first recommended
// frame and clicks 发布 again) or ask for an SMS code (submit asks for the
// code to be sent, a person gives it, submit enters it and 验证 sends the
// publish on). Any other error message is the platform refusing the post;
// a success message is not (D:1070-1106).
func (d *Driver) submit(ctx context.Context, _ *flow.Run) (string, error) {
	publish := func(ctx context.Context) error {
		return page.Click(ctx, "publish.click", `button:text-is("发布")`, fmt.Sprintf(`findIn(%s, %s, true)`, browser.JS(selPublish), browser.JS(textPublish)))
	}
	// pending is the click of a publish already under way: none.
	pending := func(context.Context) error { return nil }
	click, covered := publish, false
	for range maxInterruptions {
		url, err := page.Submit(ctx, d.to.Publish, flow.Submit{Step: "publish", Toasts: selToast, Mark: markManage,
			ErrorToast: errorToast, Challenge: smsChallenge, Answer: d.answerSMS,
			Blocked: coverRequired + " || " + smsUnsent, BlockedErr: func(string) error { return errInterrupted },
			Click: click})
		if !errors.Is(err, errInterrupted) {
			return url, err
		}
		needsCover, err := evalJS[bool](ctx, coverRequired)
		if err != nil {
			return "", page.StepErr(ctx, "publish", err)
		}
		switch {
		case needsCover && covered:
			return "", fmt.Errorf("douyin: publish: %s after a recommended cover was applied: %w", textCoverRequired, platform.ErrRejected)
		case needsCover:
			covered = true
			if err := d.recommendCover(ctx); err != nil {
				return "", page.StepErr(ctx, "publish: recommended cover", err)
			}
			click = publish
		default:
			if err := d.sendCode(ctx); err != nil {
				return "", page.StepErr(ctx, "publish verification", err)
			}
			// 验证 sends the publish on; there is nothing to click.
			click = pending
		}
	}
	// Not a refusal: the page may have published meanwhile, which
	// FindPublished tells.
	return "", fmt.Errorf("douyin: publish: the page asked for something before publishing %d times", maxInterruptions)
}

// sendCode asks the site to send the SMS code and marks the dialog as sent,
// before a person is asked for the code (SAU clicks 获取验证码 first,
// D:1081-1084).
func (d *Driver) sendCode(ctx context.Context) error {
	if err := page.WaitClick(ctx, d.to.Element, "publish.send-code", "text="+textSendCode, sendCode); err != nil {
		return err
	}
	_, err := evalJS[bool](ctx, smsExpr(`if (dlg) dlg.setAttribute('data-fanout-sent', '1'); return true;`))
	return err
}

// answerSMS enters the person's code in the SMS check and clicks 验证
// (D:748-778), then waits until the dialog closes or shows a new error (a
// wrong code, which the person is asked about again).
func (d *Driver) answerSMS(ctx context.Context, a platform.Answer) error {
	if a.Code == "" {
		return errors.New("no SMS code given")
	}
	if unsent, err := evalJS[bool](ctx, smsUnsent); err != nil {
		return err
	} else if unsent {
		if err := d.sendCode(ctx); err != nil {
			return err
		}
	}
	mark := smsExpr(fmt.Sprintf(`if (!inp) return false;
qa('[data-fanout-sms]').forEach(e => e.removeAttribute('data-fanout-sms'));
inp.setAttribute('data-fanout-sms', '1');
qa(%s, dlg).forEach(e => e.setAttribute('data-fanout-seen', '1'));
return true;`, browser.JS(selSMSError)))
	if err := page.Wait(ctx, d.to.Element, "publish.sms-code", selSMSInputs[0], mark); err != nil {
		return err
	}
	if err := browser.Fill(ctx, "publish.sms-code", `[data-fanout-sms]`, a.Code); err != nil {
		return err
	}
	verify := smsExpr(fmt.Sprintf(`return dlg && (findIn(%s, %s, true, dlg) || findText(%s, true, dlg));`,
		browser.JS(selVerifyBtn), browser.JS(textVerify), browser.JS(textVerify)))
	if err := page.WaitClick(ctx, d.to.Element, "publish.verify", selVerifyBtn+":has-text(\""+textVerify+"\")", verify); err != nil {
		return err
	}
	answered := smsExpr(fmt.Sprintf(`return !dlg || qa(%s, dlg).some(e => vis(e) && !e.hasAttribute('data-fanout-seen') && e.innerText.trim() !== '');`,
		browser.JS(selSMSError)))
	return page.Wait(ctx, d.to.Publish, "publish.verified", "SMS dialog closed or an error", answered)
}
