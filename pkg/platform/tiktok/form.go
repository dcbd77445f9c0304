package tiktok

import (
	"context"
	"fmt"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform/flow"
)

// fillOptions sets what the form needs after the upload, in the words of
// the language the site speaks (tx): the cover (optional), the content
// disclosure (by default AI-generated content, skipped with a warning when
// the page does not take it) and the schedule (optional).
func (d *Driver) fillOptions(ctx context.Context, r *flow.Run, tx *texts) error {
	return page.FillOptions(ctx,
		flow.Cover(r.Req, func(ctx context.Context, path string) error { return d.cover(ctx, tx, path) }),
		flow.Declare(Declaration(r.Req.Declaration, d.declaration), r.Req.Declaration != "",
			func(ctx context.Context, decl string) error { return d.declare(ctx, tx, decl) }),
		flow.Schedule(r.Req, func(ctx context.Context, at time.Time) error { return d.schedule(ctx, tx, at) }))
}

// cover uploads the cover in the cover editor and confirms it (SAU
// TK:232-241).
func (d *Driver) cover(ctx context.Context, tx *texts, path string) error {
	if err := page.WaitClick(ctx, d.to.Element, "cover.open", selCoverContainer, fmt.Sprintf(`qa(%s).find(vis) || null`, browser.JS(selCoverContainer))); err != nil {
		return err
	}
	tab := fmt.Sprintf(`findIn(%s, %s, false)`, browser.JS(selCoverEdit+" *"), browser.JS(tx.uploadCover))
	if err := page.WaitClick(ctx, d.to.Element, "cover.tab", selCoverEdit+` text=`+tx.uploadCover, tab); err != nil {
		return err
	}
	input := fmt.Sprintf(`(p => p && p.querySelector(%s))(qa(%s).find(vis))`, browser.JS(selCoverInput), browser.JS(selCoverPanel))
	if err := page.Wait(ctx, d.to.Element, "cover.dialog", selCoverPanel+" "+selCoverInput, input); err != nil {
		return err
	}
	if err := browser.SetFilesJS(ctx, d.to.Element, "cover.file", selCoverInput, page.Expr(input), path); err != nil {
		return err
	}
	confirm := fmt.Sprintf(`(p => p && Array.from(p.querySelectorAll('button')).find(b => vis(b) && !b.disabled && b.innerText.trim() === %s))(qa(%s).find(vis))`,
		browser.JS(tx.confirm), browser.JS(selCoverPanel))
	// The preview image can still move the button when it loads after the
	// button was found: a click that missed leaves the panel open, so it is
	// clicked again while the panel shows, within the element timeout.
	hidden := fmt.Sprintf(`!qa(%s).some(vis)`, browser.JS(selCoverPanel))
	deadline := time.Now().Add(d.to.Element)
	for i := 0; ; i++ {
		// A click that took effect late closed the panel meanwhile.
		if closed, err := flow.Eval[bool](ctx, page, hidden); i > 0 && err == nil && closed {
			return nil
		}
		if err := page.WaitClick(ctx, d.to.Element, "cover.confirm", selCoverPanel+` button:text-is("`+tx.confirm+`")`, confirm); err != nil {
			return err
		}
		err := page.Wait(ctx, min(time.Second, d.to.Element), "cover.close", "cover panel hidden", hidden)
		if err == nil || ctx.Err() != nil || time.Now().After(deadline) {
			return err
		}
	}
}

// Declaration returns the disclosure a request asks for: decl, or def when
// decl is empty. The Chinese platforms' AI labels (and the Chinese page's
// words) map to TikTok's names, so one declaration serves a publish to all.
func Declaration(decl, def string) string {
	return flow.Declaration(decl, def, declarationAliases)
}

// declare turns on the content disclosure decl under Show more: the
// AI-generated content switch, or an option under "Disclose post content".
// One the page does not offer is an invalid request, not a changed page.
func (d *Driver) declare(ctx context.Context, tx *texts, decl string) error {
	aigc := fmt.Sprintf(`qa(%s).find(vis) || null`, browser.JS(selAIGC))
	rows := fmt.Sprintf(`qa(%s).filter(vis)`, browser.JS(selSettingRow))
	more := fmt.Sprintf(`qa(%s).find(vis) || null`, browser.JS(selMoreButton))
	open := fmt.Sprintf(`!!(%s) || %s.length > 0`, aigc, rows)
	if err := page.Wait(ctx, d.to.Element, "declaration.open", selMoreButton+` or `+selSettingRow, `!!(`+more+`) || `+open); err != nil {
		return err
	}
	if shown, err := evalJS[bool](ctx, open); err != nil {
		return err
	} else if !shown {
		if err := page.Click(ctx, "declaration.open", selMoreButton, more); err != nil {
			return err
		}
		if err := page.Wait(ctx, d.to.Element, "declaration.open", selSettingRow, open); err != nil {
			return err
		}
	}
	if decl == DefaultDeclaration {
		return d.declareAI(ctx, aigc)
	}
	want := tx.label(decl)
	offered := fmt.Sprintf(`%s.map(r => (r.innerText || '').trim()).concat(qa(%s).map(l => (l.innerText || l.textContent || '').trim()))`,
		rows, browser.JS(selDiscloseOption))
	if err := page.Offered(ctx, d.to.Element, "declaration.open", selSettingRow, offered, "disclosure", want); err != nil {
		return err
	}
	row := fmt.Sprintf(`%s.find(r => (r.innerText || '').trim().startsWith(%s)) || null`, rows, browser.JS(tx.disclose))
	rowWhat := fmt.Sprintf(`%s:has-text(%q)`, selSettingRow, tx.disclose)
	if err := page.Wait(ctx, d.to.Element, "declaration.disclose", rowWhat, row); err != nil {
		return err
	}
	if err := d.turnOn(ctx, "declaration.disclose", rowWhat, row); err != nil {
		return err
	}
	if err := page.Wait(ctx, d.to.Element, "declaration.disclose", rowWhat+" on", isOn(row)); err != nil {
		return err
	}
	box := fmt.Sprintf(`(l => l && l.querySelector('input[type="checkbox"]'))(qa(%s).find(l => vis(l) && l.innerText.trim() === %s))`, browser.JS(selDiscloseOption), browser.JS(want))
	if err := page.Wait(ctx, d.to.Element, "declaration.option", fmt.Sprintf(`%s:text-is(%q)`, selDiscloseOption, want), box); err != nil {
		return err
	}
	if err := page.Click(ctx, "declaration.option", selDiscloseOption, fmt.Sprintf(`(b => b && !b.checked ? b : null)(%s)`, box)); err != nil {
		return err
	}
	return page.Wait(ctx, d.to.Element, "declaration.option", "checked "+want, box+`.checked`)
}

// declareAI turns on the AI-generated content switch (aigc finds its row)
// and confirms the label in the dialog that asks.
func (d *Driver) declareAI(ctx context.Context, aigc string) error {
	if err := page.Wait(ctx, d.to.Element, "declaration.aigc", selAIGC, aigc); err != nil {
		return err
	}
	if err := d.turnOn(ctx, "declaration.aigc", selAIGC, aigc); err != nil {
		return err
	}
	confirm := fmt.Sprintf(`qa(%s).find(vis) || null`, browser.JS(selModalConfirm))
	on := isOn(aigc)
	if err := page.Wait(ctx, d.to.Element, "declaration.aigc", selAIGC+" on or "+selModalConfirm, on+` || !!(`+confirm+`)`); err != nil {
		return err
	}
	if asked, err := evalJS[bool](ctx, `!(`+on+`) && !!(`+confirm+`)`); err != nil {
		return err
	} else if asked {
		if err := page.Click(ctx, "declaration.aigc_confirm", selModalConfirm, confirm); err != nil {
			return err
		}
	}
	return page.Wait(ctx, d.to.Element, "declaration.aigc", selAIGC+" "+selSwitchState+`[aria-checked="true"]`, on)
}

// isOn is a JavaScript expression, true when the switch in the row that
// row (an expression) finds is on.
func isOn(row string) string {
	return fmt.Sprintf(`(r => !!r && !!r.querySelector(%s) && r.querySelector(%s).getAttribute('aria-checked') === 'true')(%s)`,
		browser.JS(selSwitchState), browser.JS(selSwitchState), row)
}

// turnOn clicks the switch of the row that row finds unless it is on; its
// div.Switch__root takes the click (CN uploader).
func (d *Driver) turnOn(ctx context.Context, step, what, row string) error {
	if on, err := evalJS[bool](ctx, isOn(row)); err != nil || on {
		return err
	}
	root := fmt.Sprintf(`(r => r && r.querySelector(%s))(%s)`, browser.JS(selSwitchRoot), row)
	return page.Click(ctx, step, what+" "+selSwitchRoot, root)
}
