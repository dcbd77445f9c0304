package douyin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
	"fanout/pkg/web"
)

// fillOptions sets what the form needs after the upload, in the reference
// uploader's order (D:1044-1068): the product link, the self-declaration
// (the default one when the request names none), the collection, the
// cover, the 头条/西瓜 sync (always turned on, as SAU does; a default) and
// the schedule.
func (d *Driver) fillOptions(ctx context.Context, r *flow.Run) error {
	req := r.Req
	return page.FillOptions(ctx,
		flow.Option{Op: "product link", When: req.ProductLink != "" && req.ProductTitle != "",
			Run: func(ctx context.Context) error { return d.product(ctx, req.ProductLink, req.ProductTitle) }},
		flow.Declare(flow.Declaration(req.Declaration, d.declaration, nil), req.Declaration != "", d.declare),
		flow.Option{Op: "collection", When: strings.TrimSpace(req.Collection) != "",
			Run: func(ctx context.Context) error { return d.collection(ctx, strings.TrimSpace(req.Collection)) }},
		flow.Cover(req, d.cover),
		flow.Option{Op: "sync", When: true, Default: true, Run: d.sync},
		flow.Schedule(req, d.schedule))
}

// declarationEntry finds the declaration's entry: for each of
// declarationEntryTexts in turn, the innermost visible element outside
// dialogs and editable content whose text (spaces aside) contains it.
var declarationEntry = fmt.Sprintf(`(() => {
for (const t of %s) {
  const els = qa('body *').filter(el => (el.textContent || '').replace(/\s+/g, '').includes(t) &&
    !el.closest('.semi-portal, [contenteditable="true"]') && vis(el));
  const inner = els.filter(el => !els.some(o => o !== el && el.contains(o)));
  if (inner.length) return inner[0];
}
return null; })()`, flow.JSList(declarationEntryTexts))

// declare picks the self-declaration (自主声明) in its dialog. A
// declaration the dialog does not offer is the request's fault
// (platform.ErrInvalidRequest). On failure it closes the dialog, so that a
// skipped default leaves the form usable.
func (d *Driver) declare(ctx context.Context, decl string) (err error) {
	if err := page.WaitClick(ctx, d.to.Element, "declaration.open", "text*="+declarationEntryTexts[0], declarationEntry); err != nil {
		return err
	}
	dialog := fmt.Sprintf(`findIn(%s, %s, false)`, browser.JS(selModal), browser.JS(textDeclarationDialog))
	if err := page.Wait(ctx, d.to.Element, "declaration.dialog", selModal+":has-text(\""+textDeclarationDialog+"\")", dialog); err != nil {
		return err
	}
	defer func() {
		if err != nil && ctx.Err() == nil {
			cancel := fmt.Sprintf(`(m => m && Array.from(m.querySelectorAll('button')).find(b => vis(b) && b.innerText.trim() === %s))(%s)`,
				browser.JS(textCancel), dialog)
			_ = page.Click(ctx, "declaration.cancel", "button:text-is(\""+textCancel+"\")", cancel)
		}
	}()
	offered := fmt.Sprintf(`(m => m ? Array.from(m.querySelectorAll(%s)).map(a => a.innerText.trim()) : [])(%s)`, browser.JS(selDeclarationText), dialog)
	if err := page.Offered(ctx, d.to.Element, "declaration.option", selDeclarationText, offered, "declaration", decl); err != nil {
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

// collection picks the 合集 named name in its select. A name the select does
// not offer is the request's fault (platform.ErrInvalidRequest).
func (d *Driver) collection(ctx context.Context, name string) error {
	open := fmt.Sprintf(`qa(%s).find(vis) || null`, browser.JS(selCollectionSelect))
	if err := page.WaitClick(ctx, d.to.Element, "collection.open", selCollectionSelect, open); err != nil {
		return err
	}
	title := fmt.Sprintf(`o => { const t = o.querySelector(%s); return t ? t.innerText.trim() : ''; }`, browser.JS(selCollectionTitle))
	offered := fmt.Sprintf(`qa(%s).filter(vis).map(%s)`, browser.JS(selCollectionOption), title)
	if err := page.Offered(ctx, d.to.Element, "collection.option", selCollectionOption, offered, "collection", name); err != nil {
		return err
	}
	option := fmt.Sprintf(`qa(%s).filter(vis).find(o => (%s)(o) === %s) || null`, browser.JS(selCollectionOption), title, browser.JS(name))
	if err := page.WaitClick(ctx, d.to.Element, "collection.option", fmt.Sprintf("%s:has(%s:text-is(%q))", selCollectionOption, selCollectionTitle, name), option); err != nil {
		return err
	}
	chosen := fmt.Sprintf(`qa(%s).some(s => vis(s) && s.innerText.trim() === %s)`, browser.JS(selCollectionSelect), browser.JS(name))
	return page.Wait(ctx, d.to.Element, "collection.chosen", selCollectionSelect+":text-is(\""+name+"\")", chosen)
}

// sync turns the 头条/西瓜 sync switch on when it is off. The form is
// complete once the upload is, so a missing switch fails at once.
func (d *Driver) sync(ctx context.Context) error {
	sw := fmt.Sprintf(`q(%s)`, browser.JS(selSyncSwitch))
	on, err := evalJS[*bool](ctx, fmt.Sprintf(`(s => s ? s.classList.contains(%s) : null)(%s)`, browser.JS(classChecked), sw))
	switch {
	case err != nil:
		return err
	case on == nil:
		return &web.SelectorError{Step: "sync.switch", Selector: selSyncSwitch, Err: errors.New("no switch")}
	case *on:
		return nil
	}
	control := fmt.Sprintf(`(s => s && s.querySelector(%s))(%s)`, browser.JS(selSyncControl), sw)
	if err := page.Click(ctx, "sync.turn-on", selSyncSwitch+" "+selSyncControl, control); err != nil {
		return err
	}
	return page.Wait(ctx, d.to.Element, "sync.on", selSyncSwitch+"."+classChecked,
		fmt.Sprintf(`(s => s && s.classList.contains(%s))(%s)`, browser.JS(classChecked), sw))
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
