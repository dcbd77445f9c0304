package baijiahao

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
)

// modal is a JavaScript expression yielding the visible .cheetah-modal-wrap,
// or null.
var modal = fmt.Sprintf(`(qa(%s).filter(vis).pop() || null)`, browser.JS(selModalWrap))

// fillOptions sets what the form needs after the upload, in the reference
// uploader's order (B:upload): the cover (the request's, else the site's
// own, waited for as a default step), the declaration (the request's, else
// the driver's default, skipped with a warning if that fails) and the
// collection.
func (d *Driver) fillOptions(ctx context.Context, r *flow.Run) error {
	name := strings.TrimSpace(r.Req.Collection)
	return page.FillOptions(ctx,
		flow.Cover(r.Req, d.cover),
		flow.Option{Op: "cover", When: r.Req.CoverPath == "", Default: true, Run: d.autoCover},
		flow.Declare(Declaration(r.Req.Declaration, d.declaration), r.Req.Declaration != "", d.declare),
		flow.Option{Op: "collection", When: name != "", Run: func(ctx context.Context) error { return d.collection(ctx, name) }})
}

// autoCover waits for the cover the site makes from the video (§3.7 step
// 4.5). The site refuses a post without a cover, so a cover that does not
// come is reported (a warning) and the site has the last word.
func (d *Driver) autoCover(ctx context.Context) error {
	return page.Wait(ctx, d.to.Element, "cover.auto", selAutoCover, fmt.Sprintf(`qa(%s).some(vis)`, browser.JS(selAutoCover)))
}

// cover uploads the request's cover (§3.7 step 4): 选择封面, 上传 in its
// dialog, the image in the input that appears, then 确定 once the dialog
// took the image.
func (d *Driver) cover(ctx context.Context, path string) error {
	entry := fmt.Sprintf(`(qa(%s).find(vis) || findText(%s, true))`, browser.JS(selCoverEntry), browser.JS(textCoverEntry))
	if err := page.WaitClick(ctx, d.to.Element, "cover.open", selCoverEntry, entry); err != nil {
		return err
	}
	upload := fmt.Sprintf(`(m => m && (findIn('button', %[1]s, false, m) || findText(%[1]s, true, m)))(%[2]s)`, browser.JS(textCoverUp), modal)
	if err := page.WaitClick(ctx, d.to.Element, "cover.upload", `button:has-text("上传")`, upload); err != nil {
		return err
	}
	mark := fmt.Sprintf(`(m => { const el = m && m.querySelector(%s); if (!el) return false;
qa('[data-fanout-cover]').forEach(e => e.removeAttribute('data-fanout-cover'));
el.setAttribute('data-fanout-cover', '1'); return true; })(%s)`, browser.JS(selCoverInput), modal)
	if err := page.Wait(ctx, d.to.Element, "cover.input", selCoverInput, mark); err != nil {
		return err
	}
	if err := browser.SetFiles(ctx, d.to.Element, "cover.file", `[data-fanout-cover]`, path); err != nil {
		return err
	}
	confirm := fmt.Sprintf(`(m => { if (!m) return null; for (const t of %s) { const b = findIn('button', t, true, m); if (b && !b.disabled) return b; } return null; })(%s)`,
		flow.JSList(textsCoverConfirm), modal)
	if err := page.WaitClick(ctx, d.to.Element, "cover.confirm", `button:has-text("确定")`, confirm); err != nil {
		return err
	}
	return page.Wait(ctx, d.to.Element, "cover.close", selModalWrap+" hidden", "!"+modal)
}

// declare chooses decl in the 创作声明 modal (§3.7 step 5): the input opens
// it, the option is clicked, 确定 closes it. An option the modal does not
// offer is the request's fault (platform.ErrInvalidRequest).
func (d *Driver) declare(ctx context.Context, decl string) error {
	input := fmt.Sprintf(`qa(%s).find(vis) || null`, browser.JS(selDeclInput))
	if err := page.WaitClick(ctx, d.to.Element, "declaration.open", selDeclInput, input); err != nil {
		return err
	}
	offered := fmt.Sprintf(`(m => m ? qa(%s, m).filter(vis).map(el => (el.innerText || '').trim()).filter(Boolean) : [])(%s)`,
		browser.JS(selDeclOption), modal)
	if err := page.Offered(ctx, d.to.Element, "declaration.options", selDeclOption, offered, "declaration", decl); err != nil {
		return err
	}
	option := fmt.Sprintf(`(m => m && (findIn(%s, %s, true, m) || findText(%[2]s, true, m)))(%[3]s)`, browser.JS(selDeclOption), browser.JS(decl), modal)
	if err := page.Click(ctx, "declaration.option", fmt.Sprintf(`.cheetah-modal-wrap :text(%q)`, decl), option); err != nil {
		return err
	}
	confirm := fmt.Sprintf(`(m => m && findIn('button', %s, true, m))(%s)`, browser.JS(textConfirm), modal)
	if err := page.WaitClick(ctx, d.to.Element, "declaration.confirm", `.cheetah-modal-wrap:visible button:has-text("确定")`, confirm); err != nil {
		return err
	}
	chosen := fmt.Sprintf(`!%s && qa(%s).some(el => (el.value || '').trim() === %s)`, modal, browser.JS(selDeclInput), browser.JS(decl))
	return page.Wait(ctx, d.to.Element, "declaration.chosen", selDeclInput+" = "+decl, chosen)
}

// collection picks the 合集 name (§3.7 step 6): the select with the
// placeholder 选择同主题的合集 opens, the name is typed into its search,
// and the option is clicked. A collection the account does not have is the
// request's fault (platform.ErrInvalidRequest).
func (d *Driver) collection(ctx context.Context, name string) error {
	sel := fmt.Sprintf(`(s => { qa('[data-fanout-collection]').forEach(e => e.removeAttribute('data-fanout-collection'));
if (s) s.setAttribute('data-fanout-collection', '1'); return s || null; })(qa(%s).find(s => vis(s) && (s.innerText || '').includes(%s)))`,
		browser.JS(selSelect), browser.JS(textCollectionHint))
	what := fmt.Sprintf(`%s:has-text(%q)`, selSelect, textCollectionHint)
	if err := page.WaitClick(ctx, d.to.Element, "collection.open", what, sel); err != nil {
		return err
	}
	offered := fmt.Sprintf(`qa(%s).filter(vis).map(el => (el.innerText || '').trim()).filter(Boolean)`, browser.JS(selCollectionOption))
	if err := page.Offered(ctx, d.to.Element, "collection.options", selCollectionOption, offered, "collection", name); err != nil {
		return err
	}
	if err := page.Focus(ctx, d.to.Element, "collection.search", selSelectSearch); err != nil {
		return err
	}
	if err := browser.InsertText(ctx, name); err != nil {
		return err
	}
	option := fmt.Sprintf(`findIn(%s, %s, true)`, browser.JS(selCollectionOption), browser.JS(name))
	if err := page.WaitClick(ctx, d.to.Element, "collection.option", fmt.Sprintf(`[role="option"]:has-text(%q)`, name), option); err != nil {
		return err
	}
	chosen := fmt.Sprintf(`(s => !!s && qa(%s, s).some(i => vis(i) && (i.innerText || '').trim() === %s))(q('[data-fanout-collection]'))`,
		browser.JS(selSelectedItem), browser.JS(name))
	return page.Wait(ctx, d.to.Element, "collection.chosen", selSelectedItem+" = "+name, chosen)
}

// captcha is the JavaScript library of 百度安全验证 (§3.7 step 7): cap()
// is the element showing the text, capInput(c) the visible input of the
// dialog around it (null for a check that takes no typed answer).
var captcha = fmt.Sprintf(`const cap = () => findText(%s, false);
const capBox = c => (c.closest(%s) || c.closest('[role="dialog"]') || c.parentElement);
const capInput = c => qa(%s, capBox(c)).find(vis) || null;`, browser.JS(textCaptcha), browser.JS(selModalWrap), browser.JS(selCaptchaInput))

// submit clicks 发布 and waits for a page that confirms the publish. A new
// error or warning message is the platform refusing the post. 百度安全验证
// is put to a person as a captcha (the screenshot shows it); their answer
// is typed in and confirmed, and the wait goes on. A check that takes no
// typed answer cannot be passed from here and fails the publish.
func (d *Driver) submit(ctx context.Context, _ *flow.Run) (string, error) {
	button := fmt.Sprintf(`(() => { const t = b => (b.innerText || '').trim();
const bs = qa('button').filter(b => vis(b) && t(b).includes(%[2]s));
return qa(%[1]s).find(vis) || bs.find(b => t(b) === %[2]s) || bs.pop() || null; })()`, browser.JS(selPublishButton), browser.JS(textPublish))
	return page.Submit(ctx, d.to.Publish, flow.Submit{Step: "publish", Toasts: selToast, Marks: marksPublished,
		Challenge: `(() => { ` + captcha + `
const c = cap(); return c && capInput(c) ? {kind: ` + browser.JS(platform.VerifyCaptcha) + `, text: (capBox(c).innerText || '').replace(/\s+/g, ' ').trim()} : null; })()`,
		Answer:  d.answerCaptcha,
		Blocked: `(() => { ` + captcha + ` const c = cap(); return !!c && !capInput(c); })()`,
		BlockedErr: func(op string) error {
			return fmt.Errorf("baijiahao: %s: %s asks for a check that takes no typed answer; pass it in a browser logged in to the account: %w",
				op, textCaptcha, platform.ErrNoAsker)
		},
		Click: func(ctx context.Context) error {
			return page.WaitClick(ctx, d.to.Element, "publish.click", selPublishButton, button)
		}})
}

// answerCaptcha types the person's answer into 百度安全验证 and confirms it,
// then waits until the check is gone or asks again (a wrong answer, which
// the person is asked about anew).
func (d *Driver) answerCaptcha(ctx context.Context, a platform.Answer) error {
	if a.Code == "" {
		return errors.New("no captcha answer given")
	}
	mark := `(() => { ` + captcha + ` const c = cap(); const i = c && capInput(c); if (!i) return false;
qa('[data-fanout-captcha]').forEach(e => e.removeAttribute('data-fanout-captcha'));
i.setAttribute('data-fanout-captcha', '1'); return true; })()`
	if err := page.Wait(ctx, d.to.Element, "publish.captcha", selCaptchaInput, mark); err != nil {
		return err
	}
	if err := browser.Fill(ctx, "publish.captcha", `[data-fanout-captcha]`, a.Code); err != nil {
		return err
	}
	confirm := `(() => { ` + captcha + ` const c = cap(); return c && findIn('button', ` + browser.JS(textConfirm) + `, true, capBox(c)); })()`
	if err := page.Click(ctx, "publish.captcha", `button:has-text("确定")`, confirm); err != nil {
		return err
	}
	// The check answered: it closes, or shows its error (or a new one).
	settled := `(() => { ` + captcha + ` const c = cap(); if (!c) return true;
const i = capInput(c); return !i || i.value === ''; })()`
	return page.Wait(ctx, d.to.Element, "publish.captcha", textCaptcha+" answered", settled)
}
