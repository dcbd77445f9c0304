package kuaishou

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform/flow"
	"fanout/pkg/web"
)

// declare picks decl in the 作者声明 select: the ant-select that follows its
// label, then the option whose label attribute is decl. An option the select
// does not offer is an invalid request, not a changed page.
func (d *Driver) declare(ctx context.Context, decl string) error {
	sel := fmt.Sprintf(`(() => {
const l = Array.from(document.querySelectorAll('label')).find(l => vis(l) && (l.innerText || '').trim() === %s);
for (let s = l && l.nextElementSibling; s; s = s.nextElementSibling) if (s.matches('div') && s.className.includes('ant-select')) return s;
return null; })()`, browser.JS(textDeclarationLabel))
	opener := fmt.Sprintf(`(s => s && s.querySelector(%s))(%s)`, browser.JS(selSelectSelector), sel)
	if err := page.WaitClick(ctx, d.to.Element, "declaration.open", fmt.Sprintf(`label:text-is(%q) ~ div.ant-select %s`, textDeclarationLabel, selSelectSelector), opener); err != nil {
		return err
	}
	offered := fmt.Sprintf(`Array.from(document.querySelectorAll(%s)).filter(vis).map(o => o.getAttribute('label') || o.innerText.trim())`,
		browser.JS(selSelectOption))
	if err := page.Offered(ctx, d.to.Element, "declaration.options", selSelectOption, offered, "declaration", decl); err != nil {
		return err
	}
	option := fmt.Sprintf(`Array.from(document.querySelectorAll(%s)).find(o => vis(o) && o.getAttribute('label') === %s)`,
		browser.JS(selSelectOption), browser.JS(decl))
	if err := page.WaitClick(ctx, d.to.Element, "declaration.option", fmt.Sprintf(`%s[label=%q]`, selSelectOption, decl), option); err != nil {
		return err
	}
	chosen := fmt.Sprintf(`(s => s && Array.from(s.querySelectorAll(%s)).some(i => vis(i) && i.innerText.trim() === %s))(%s)`,
		browser.JS(selSelectedItem), browser.JS(decl), sel)
	return page.Wait(ctx, d.to.Element, "declaration.chosen", fmt.Sprintf(`%s:text-is(%q)`, selSelectedItem, decl), chosen)
}

// cover uploads the cover image in the 封面设置 dialog and confirms it.
func (d *Driver) cover(ctx context.Context, path string) error {
	// The span 封面设置, its parent's next sibling, that sibling's first div.
	entry := fmt.Sprintf(`(s => { const n = s && s.parentElement && s.parentElement.nextElementSibling;
return n ? (n.querySelector('div') || n) : null; })(findIn('span', %s, true))`, browser.JS(textCoverSetting))
	if err := page.WaitClick(ctx, d.to.Element, "cover.open", `span:text-is("封面设置") >> xpath=../following-sibling::div[1] >> div`, entry); err != nil {
		return err
	}
	modal := fmt.Sprintf(`Array.from(document.querySelectorAll(%s)).find(vis)`, browser.JS(selCoverModal))
	tab := fmt.Sprintf(`(m => m && findText(%s, true, m))(%s)`, browser.JS(textUploadCover), modal)
	if err := page.WaitClick(ctx, d.to.Element, "cover.tab", selCoverModal+` >> text="上传封面"`, tab); err != nil {
		return err
	}
	mark := fmt.Sprintf(`(m => { const el = m && m.querySelector(%s); if (!el) return false;
document.querySelectorAll('[data-fanout-cover]').forEach(e => e.removeAttribute('data-fanout-cover'));
el.setAttribute('data-fanout-cover', '1'); return true; })(%s)`, browser.JS(selCoverFileInput), modal)
	if err := page.Wait(ctx, d.to.Element, "cover.dialog", selCoverModal+" "+selCoverFileInput, mark); err != nil {
		return err
	}
	if err := browser.SetFiles(ctx, d.to.Element, "cover.file", `[data-fanout-cover]`, path); err != nil {
		return err
	}
	confirm := fmt.Sprintf(`(m => { const b = m && findIn('button', %s, true, m); return b && !b.disabled ? b : null; })(%s)`,
		browser.JS(textCoverConfirm), modal)
	if err := page.WaitClick(ctx, d.to.Element, "cover.confirm", `role=button[name="确认"]:enabled`, confirm); err != nil {
		return err
	}
	return page.Wait(ctx, d.to.Element, "cover.close", selCoverModal+" hidden", "!"+modal)
}

// schedule chooses 定时发布 and sets the readonly, React-controlled date
// input the way the site's own picker does: the native value setter, then
// bubbling input and change events, then Enter.
func (d *Driver) schedule(ctx context.Context, at time.Time) error {
	radio := fmt.Sprintf(`findIn(%s, %s, false)`, browser.JS(selScheduleRadio), browser.JS(textSchedule))
	if err := page.WaitClick(ctx, d.to.Element, "schedule.choose", selScheduleRadio+`:has-text("定时发布")`, radio); err != nil {
		return err
	}
	if err := browser.WaitVisible(ctx, d.to.Element, "schedule.input", selScheduleInput); err != nil {
		return err
	}
	value := at.In(d.loc).Format(scheduleLayout)
	set := fmt.Sprintf(`(() => { const el = document.querySelector(%s); if (!el) return false;
el.focus(); el.click();
Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(el, %s);
el.dispatchEvent(new Event('input', {bubbles: true}));
el.dispatchEvent(new Event('change', {bubbles: true}));
return true; })()`, browser.JS(selScheduleInput), browser.JS(value))
	ok, err := evalJS[bool](ctx, set)
	if err != nil {
		return err
	}
	if !ok {
		return &web.SelectorError{Step: "schedule.input", Selector: selScheduleInput, Err: fmt.Errorf("no element")}
	}
	if err := browser.Press(ctx, browser.KeyEnter); err != nil {
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

// fillOptions sets what the form needs after the upload: the author
// declaration (when the request or the Config names one), the cover and the
// schedule (optional), in the reference uploader's order.
func (d *Driver) fillOptions(ctx context.Context, r *flow.Run) error {
	return page.FillOptions(ctx, flow.Declare(Declaration(r.Req.Declaration, d.declaration), r.Req.Declaration != "", d.declare),
		flow.Cover(r.Req, d.cover), flow.Schedule(r.Req, d.schedule))
}

// Declaration returns the author declaration a request asks for: decl, or
// def when decl is empty ("" means none). Other platforms' wording of the
// same declaration (Douyin's 内容由AI生成, ...) maps to this site's option.
func Declaration(decl, def string) string {
	return flow.Declaration(decl, def, declarationAliases)
}
