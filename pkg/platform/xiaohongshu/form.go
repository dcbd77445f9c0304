package xiaohongshu

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform/flow"
	"fanout/pkg/web"
)

// fillOptions sets what the form needs after the upload, in the reference
// uploader's order: the cover (optional), the content-type declaration
// (always; the request's, else the Config's, else DefaultDeclaration) and
// the schedule (optional).
func (d *Driver) fillOptions(ctx context.Context, r *flow.Run) error {
	return page.FillOptions(ctx, flow.Cover(r.Req, d.cover),
		flow.Declare(Declaration(r.Req.Declaration, d.declaration), r.Req.Declaration != "", d.declare), flow.Schedule(r.Req, d.schedule))
}

// visibleModal finds the open dialog.
var visibleModal = fmt.Sprintf(`Array.from(document.querySelectorAll(%s)).find(vis)`, browser.JS(selCoverModal))

// cover uploads the cover image in the 设置封面 dialog and confirms it.
func (d *Driver) cover(ctx context.Context, path string) error {
	entry := fmt.Sprintf(`(() => { const t = findText(%s, true); if (t) t.scrollIntoView({block: 'center'});
return %s.map(s => Array.from(document.querySelectorAll(s)).find(vis)).find(Boolean) || null; })()`,
		browser.JS(textCoverSection), flow.JSList(coverEntrySelectors))
	if err := page.WaitClick(ctx, d.to.Element, "cover.open", coverEntrySelectors[0], entry); err != nil {
		return err
	}
	tab := fmt.Sprintf(`(m => m && findText(%s, true, m))(%s)`, browser.JS(textUploadCover), visibleModal)
	if err := page.WaitClick(ctx, d.to.Element, "cover.tab", selCoverModal+` >> text="上传封面"`, tab); err != nil {
		return err
	}
	mark := fmt.Sprintf(`(m => { if (!m) return false;
const el = m.querySelector(%s) || Array.from(document.querySelectorAll(%s)).pop();
if (!el) return false;
document.querySelectorAll('[data-fanout-cover]').forEach(e => e.removeAttribute('data-fanout-cover'));
el.setAttribute('data-fanout-cover', '1'); return true; })(%s)`, browser.JS(selCoverFileInput), browser.JS(selAnyImageInput), visibleModal)
	if err := page.Wait(ctx, d.to.Element, "cover.dialog", selCoverModal+" "+selCoverFileInput, mark); err != nil {
		return err
	}
	if err := browser.SetFiles(ctx, d.to.Element, "cover.file", `[data-fanout-cover]`, path); err != nil {
		return err
	}
	// 确定 closes the dialog once the image is uploaded; until then the
	// site keeps it open, so the click is repeated (at most every second).
	var clicked time.Time
	confirm := fmt.Sprintf(`(m => m && Array.from(m.querySelectorAll(%s)).map(f => findIn('button', %s, true, f)).find(Boolean))(%s)`,
		browser.JS(selModalFooter), browser.JS(textCoverConfirm), visibleModal)
	return browser.Until(ctx, d.to.Element, "cover.confirm", selModalFooter+` button:text-is("确定")`, func(ctx context.Context) (bool, error) {
		open, err := evalJS[bool](ctx, "!!"+visibleModal)
		if err != nil || !open {
			return !open, err
		}
		if time.Since(clicked) < time.Second {
			return false, nil
		}
		clicked = time.Now()
		return false, page.Click(ctx, "cover.confirm", selModalFooter+` button:text-is("确定")`, confirm)
	})
}

// Declaration returns the content-type declaration a request asks for:
// decl, or def when decl is empty. Other platforms' wording of the AI label
// (Douyin's 内容由AI生成, ...) maps to this site's 笔记含AI合成内容.
func Declaration(decl, def string) string {
	return flow.Declaration(decl, def, declarationAliases)
}

// declare picks decl in the content-type declaration list; 来源转载 opens a
// dialog for the media name, which is left empty and confirmed. An option
// the list does not offer is an invalid request, not a changed page. After
// a failure it presses Escape, as the reference uploader does (X:517-521),
// so that a list or dialog left open covers nothing (the publish goes on
// when the declaration was a default).
func (d *Driver) declare(ctx context.Context, decl string) error {
	err := d.pickDeclaration(ctx, decl)
	if err != nil && ctx.Err() == nil {
		_ = browser.Press(ctx, browser.KeyEscape)
	}
	return err
}

// pickDeclaration is declare without the Escape.
func (d *Driver) pickDeclaration(ctx context.Context, decl string) error {
	entry := fmt.Sprintf(`findText(%s, true)`, browser.JS(textDeclarationEntry))
	if err := page.WaitClick(ctx, d.to.Element, "declaration.open", "text="+textDeclarationEntry, entry); err != nil {
		return err
	}
	offered := fmt.Sprintf(`Array.from(document.querySelectorAll(%s)).filter(vis).map(o => o.innerText.trim())`, browser.JS(selDeclarationOptions))
	if err := page.Offered(ctx, d.to.Element, "declaration.options", selDeclarationOptions, offered, "declaration", decl); err != nil {
		return err
	}
	// The last (innermost) div in the form whose whole text is decl.
	option := fmt.Sprintf(`(c => c && Array.from(c.querySelectorAll('div')).filter(el => vis(el) && (el.innerText || '').trim() === %s).pop())(document.querySelector(%s))`,
		browser.JS(decl), browser.JS(selPublishContainer))
	if err := page.WaitClick(ctx, d.to.Element, "declaration.option", fmt.Sprintf(`%s div:text-is(%q)`, selPublishContainer, decl), option); err != nil {
		return err
	}
	if decl == textRepost {
		if err := browser.WaitVisible(ctx, d.to.Element, "declaration.source", selRepostSource); err != nil {
			return err
		}
		confirm := fmt.Sprintf(`(m => m && findIn('button', %s, true, m))(%s)`, browser.JS(textConfirm), visibleModal)
		if err := page.WaitClick(ctx, d.to.Element, "declaration.confirm", `role=button[name="确认"]`, confirm); err != nil {
			return err
		}
	}
	return page.Wait(ctx, d.to.Element, "declaration.chosen", "no text="+textDeclarationEntry, fmt.Sprintf(`!findText(%s, true) && !%s`, browser.JS(textDeclarationEntry), visibleModal))
}

// schedule turns on 定时发布 and types the time on the site's wall clock.
func (d *Driver) schedule(ctx context.Context, at time.Time) error {
	sw := fmt.Sprintf(`(c => c && c.querySelector(%s))(findIn(%s, %s, false))`,
		browser.JS(selScheduleSwitch), browser.JS(selScheduleCard), browser.JS(textSchedule))
	if err := page.WaitClick(ctx, d.to.Element, "schedule.switch", selScheduleCard+`:has-text("定时发布") `+selScheduleSwitch, sw); err != nil {
		return err
	}
	if err := browser.WaitVisible(ctx, d.to.Element, "schedule.input", selScheduleInput); err != nil {
		return err
	}
	value := at.In(d.loc).Format(scheduleLayout)
	if err := browser.Fill(ctx, "schedule.input", selScheduleInput, value); err != nil {
		return err
	}
	got, err := evalJS[string](ctx, fmt.Sprintf(`(document.querySelector(%s) || {}).value || ''`, browser.JS(selScheduleInput)))
	if err != nil {
		return err
	}
	if strings.TrimSpace(got) != value {
		return &web.SelectorError{Step: "schedule.input", Selector: selScheduleInput, Err: fmt.Errorf("value %q, want %q", got, value)}
	}
	return nil
}
