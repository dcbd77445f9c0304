package douyin

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
	"fanout/pkg/web"
)

// fillOptions sets what the form needs after the upload: the product link
// (optional), the self-declaration (always), the cover and the schedule
// (optional), in the reference uploader's order.
func (d *Driver) fillOptions(ctx context.Context, r *flow.Run) error {
	req := r.Req
	return page.FillOptions(ctx,
		flow.Option{Op: "product link", When: req.ProductLink != "" && req.ProductTitle != "",
			Run: func(ctx context.Context) error { return d.product(ctx, req.ProductLink, req.ProductTitle) }},
		flow.Declare(flow.Declaration(req.Declaration, d.declaration, nil), req.Declaration != "", d.declare),
		flow.Cover(req, d.cover), flow.Schedule(req, d.schedule))
}

// declare picks the self-declaration (自主声明) in its dialog.
func (d *Driver) declare(ctx context.Context, decl string) error {
	entry := fmt.Sprintf(`%s.map(t => findText(t, true)).find(Boolean)`, flow.JSList(declarationEntryTexts))
	if err := page.WaitClick(ctx, d.to.Element, "declaration.open", "text="+declarationEntryTexts[2], entry); err != nil {
		return err
	}
	dialog := fmt.Sprintf(`findIn(%s, %s, false)`, browser.JS(selModal), browser.JS(textDeclarationDialog))
	if err := page.Wait(ctx, d.to.Element, "declaration.dialog", selModal+":has-text(\""+textDeclarationDialog+"\")", dialog); err != nil {
		return err
	}
	option := fmt.Sprintf(`(m => m && Array.from(m.querySelectorAll(%s)).find(l => {
  const a = l.querySelector(%s); return a && a.innerText.trim() === %s; }))(%s)`,
		browser.JS(selDeclarationOption), browser.JS(selDeclarationText), browser.JS(decl), dialog)
	if err := page.WaitClick(ctx, d.to.Element, "declaration.option", fmt.Sprintf("%s:has(%s:text-is(%q))", selDeclarationOption, selDeclarationText, decl), option); err != nil {
		return err
	}
	confirm := fmt.Sprintf(`(m => m && Array.from(m.querySelectorAll(%s)).find(b => b.innerText.trim() === %s))(%s)`,
		browser.JS(selPrimaryButton), browser.JS(textConfirm), dialog)
	if err := page.WaitClick(ctx, d.to.Element, "declaration.confirm", selPrimaryButton+":text-is(\""+textConfirm+"\")", confirm); err != nil {
		return err
	}
	return page.Wait(ctx, d.to.Element, "declaration.close", "dialog hidden", "!"+dialog)
}

// cover uploads the cover image in the cover dialog and confirms it.
func (d *Driver) cover(ctx context.Context, path string) error {
	entry := fmt.Sprintf(`%s.map(t => { const el = findText(t, true); return el && el.closest(%s) ? el : null; }).find(Boolean)`,
		flow.JSList(coverEntryTexts), browser.JS(selCoverArea))
	if err := page.WaitClick(ctx, d.to.Element, "cover.open", selCoverArea+":has-text(\"选择封面\")", entry); err != nil {
		return err
	}
	// Mark the image input: the one under the drag area, else the last one
	// (the first is the "AI reference image" slot).
	mark := fmt.Sprintf(`(() => { const m = Array.from(document.querySelectorAll(%s)).find(vis); if (!m) return false;
const el = m.querySelector(%s) || Array.from(m.querySelectorAll('input.semi-upload-hidden-input')).pop();
if (!el) return false;
document.querySelectorAll('[data-fanout-cover]').forEach(e => e.removeAttribute('data-fanout-cover'));
el.setAttribute('data-fanout-cover', '1'); return true; })()`, browser.JS(selCoverModal), browser.JS(selCoverInput))
	if err := page.Wait(ctx, d.to.Element, "cover.dialog", selCoverModal+" "+selCoverInput, mark); err != nil {
		return err
	}
	if err := browser.SetFiles(ctx, d.to.Element, "cover.file", `[data-fanout-cover]`, path); err != nil {
		return err
	}
	done := fmt.Sprintf(`(b => b && !b.classList.contains(%s) ? b : null)(findIn(%s, %s, true))`,
		browser.JS(classDisabled), browser.JS(selCoverModal+" button"), browser.JS(textCoverDone))
	if err := page.WaitClick(ctx, d.to.Element, "cover.done", "button:text-is(\"完成\"):not(."+classDisabled+")", done); err != nil {
		return err
	}
	return page.Wait(ctx, d.to.Element, "cover.close", "no "+selCoverModal, fmt.Sprintf(`!document.querySelector(%s)`, browser.JS(selCoverModal)))
}

// schedule chooses 定时发布 and types the time on the site's wall clock.
func (d *Driver) schedule(ctx context.Context, at time.Time) error {
	radio := fmt.Sprintf(`findIn(%s, %s, false)`, browser.JS(selScheduleRadio), browser.JS(textSchedule))
	if err := page.WaitClick(ctx, d.to.Element, "schedule.choose", selScheduleRadio+":has-text(\""+textSchedule+"\")", radio); err != nil {
		return err
	}
	if err := browser.WaitVisible(ctx, d.to.Element, "schedule.input", selScheduleInput); err != nil {
		return err
	}
	value := at.In(d.loc).Format(scheduleLayout)
	if err := browser.Fill(ctx, "schedule.input", selScheduleInput, value); err != nil {
		return err
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

// product adds a shopping-cart link with its short title.
func (d *Driver) product(ctx context.Context, link, title string) error {
	sel := fmt.Sprintf(`(el => el && el.closest(%s))(findText(%s, true))`, browser.JS(selSelect), browser.JS(textAddTag))
	if err := page.WaitClick(ctx, d.to.Element, "product.select", "text="+textAddTag, sel); err != nil {
		return err
	}
	cart := fmt.Sprintf(`(lb => lb && Array.from(lb.querySelectorAll(%s)).find(o => vis(o) && o.innerText.includes(%s)))(Array.from(document.querySelectorAll(%s)).find(vis))`,
		browser.JS(selOption), browser.JS(textCart), browser.JS(selListbox))
	if err := page.WaitClick(ctx, d.to.Element, "product.cart", selOption+":has-text(\""+textCart+"\")", cart); err != nil {
		return err
	}
	if err := browser.WaitVisible(ctx, d.to.Element, "product.link", selProductLink); err != nil {
		return err
	}
	if err := browser.Fill(ctx, "product.link", selProductLink, link); err != nil {
		return err
	}
	add := fmt.Sprintf(`(el => el && !el.className.includes('disable') ? el : null)(findIn('span', %s, true))`, browser.JS(textAddLink))
	if err := page.WaitClick(ctx, d.to.Element, "product.add", "span:has-text(\""+textAddLink+"\")", add); err != nil {
		return err
	}
	answered := fmt.Sprintf(`!!findText(%s, false) || Array.from(document.querySelectorAll(%s)).some(vis)`, browser.JS(textNoProduct), browser.JS(selProductTitle))
	if err := page.Wait(ctx, d.to.Element, "product.search", selProductTitle, answered); err != nil {
		return err
	}
	if notFound, _ := evalJS[bool](ctx, fmt.Sprintf(`!!findText(%s, false)`, browser.JS(textNoProduct))); notFound {
		return fmt.Errorf("%s %q: %w", textNoProduct, link, platform.ErrInvalidRequest)
	}
	if err := browser.Fill(ctx, "product.title", selProductTitle, flow.Truncate(strings.TrimSpace(title), maxProductTitle)); err != nil {
		return err
	}
	finish := fmt.Sprintf(`(b => b && !b.className.includes('disabled') ? b : null)(findIn('button', %s, true))`, browser.JS(textFinishEdit))
	if err := page.WaitClick(ctx, d.to.Element, "product.finish", "button:has-text(\""+textFinishEdit+"\")", finish); err != nil {
		return err
	}
	return page.Wait(ctx, d.to.Element, "product.close", "product dialog hidden",
		fmt.Sprintf(`!Array.from(document.querySelectorAll(%s)).some(vis)`, browser.JS(selProductTitle)))
}
