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

// declare picks decl in the 作者声明 select.
func (d *Driver) declare(ctx context.Context, decl string) error {
	return d.pick(ctx, "declaration", textDeclarationLabel, decl)
}

// collection picks the collection (加入合集) named name (K:523-560).
func (d *Driver) collection(ctx context.Context, name string) error {
	return d.pick(ctx, "collection", textCollectionLabel, name)
}

// pick chooses want in the ant-design select that follows the label text:
// a pointer click on its selector (rc-select opens on the mousedown), then
// a click on the option whose label attribute is want. An option the
// select does not offer is an invalid request, not a changed page; kind
// names the steps and the option in errors.
func (d *Driver) pick(ctx context.Context, kind, label, want string) error {
	sel := fmt.Sprintf(`(() => {
const l = Array.from(document.querySelectorAll('label')).find(l => vis(l) && (l.innerText || '').trim() === %s);
for (let s = l && l.nextElementSibling; s; s = s.nextElementSibling) if (s.matches('div') && s.className.includes('ant-select')) return s;
return null; })()`, browser.JS(label))
	opener := fmt.Sprintf(`(s => s && s.querySelector(%s))(%s)`, browser.JS(selSelectSelector), sel)
	if err := page.WaitClick(ctx, d.to.Element, kind+".open", fmt.Sprintf(`label:text-is(%q) ~ div.ant-select %s`, label, selSelectSelector), opener); err != nil {
		return err
	}
	offered := fmt.Sprintf(`Array.from(document.querySelectorAll(%s)).filter(vis).map(o => o.getAttribute('label') || o.innerText.trim())`,
		browser.JS(selSelectOption))
	if err := page.Offered(ctx, d.to.Element, kind+".options", selSelectOption, offered, kind, want); err != nil {
		return err
	}
	option := fmt.Sprintf(`Array.from(document.querySelectorAll(%s)).find(o => vis(o) && o.getAttribute('label') === %s)`,
		browser.JS(selSelectOption), browser.JS(want))
	if err := page.WaitClick(ctx, d.to.Element, kind+".option", fmt.Sprintf(`%s[label=%q]`, selSelectOption, want), option); err != nil {
		return err
	}
	chosen := fmt.Sprintf(`(s => s && Array.from(s.querySelectorAll(%s)).some(i => vis(i) && i.innerText.trim() === %s))(%s)`,
		browser.JS(selSelectedItem), browser.JS(want), sel)
	return page.Wait(ctx, d.to.Element, kind+".chosen", fmt.Sprintf(`%s:text-is(%q)`, selSelectedItem, want), chosen)
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
// input as the reference uploader does (K:400-436): a click on it, then the
// native value setter with bubbling input and change events, then Enter.
func (d *Driver) schedule(ctx context.Context, at time.Time) error {
	radio := fmt.Sprintf(`findIn(%s, %s, false)`, browser.JS(selScheduleRadio), browser.JS(textSchedule))
	if err := page.WaitClick(ctx, d.to.Element, "schedule.choose", selScheduleRadio+`:has-text("定时发布")`, radio); err != nil {
		return err
	}
	input := fmt.Sprintf(`qa(%s).find(vis) || null`, browser.JS(selScheduleInput))
	if err := page.WaitClick(ctx, d.to.Element, "schedule.input", selScheduleInput, input); err != nil {
		return err
	}
	value := at.In(d.loc).Format(scheduleLayout)
	set := fmt.Sprintf(`(() => { const el = document.querySelector(%s); if (!el) return false;
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

// fillOptions closes what covers the form again, then sets what it needs
// after the upload: the author declaration (when the request or the Config
// names one), the cover, the collection and the schedule (each optional),
// in the reference uploader's order.
func (d *Driver) fillOptions(ctx context.Context, r *flow.Run) error {
	if err := d.dismiss(ctx); err != nil {
		return page.StepErr(ctx, "close notices", err)
	}
	name := strings.TrimSpace(r.Req.Collection)
	return page.FillOptions(ctx, flow.Declare(Declaration(r.Req.Declaration, d.declaration), r.Req.Declaration != "", d.declare),
		flow.Cover(r.Req, d.cover),
		flow.Option{Op: "collection", When: name != "", Run: func(ctx context.Context) error { return d.collection(ctx, name) }},
		flow.Schedule(r.Req, d.schedule))
}

// Declaration returns the author declaration a request asks for: decl, or
// def when decl is empty ("" means none). Other platforms' wording of the
// same declaration (Douyin's 内容由AI生成, ...) maps to this site's option.
func Declaration(decl, def string) string {
	return flow.Declaration(decl, def, declarationAliases)
}
