package douyin

import (
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // cover formats whose size coverTab reads
	_ "image/jpeg"
	_ "image/png"
	"os"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform/flow"
	"fanout/pkg/web"
)

// coverTab is the cover dialog's tab for the image at path: 设置横封面 for a
// wider than high image, else 设置竖封面, the dialog's first tab (also for an
// image whose size cannot be read).
func coverTab(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return textPortrait
	}
	defer f.Close()
	c, _, err := image.DecodeConfig(f)
	if err != nil || c.Width <= c.Height {
		return textPortrait
	}
	return textLandscape
}

// coverArea is the cover area the entry shows in while hovered: the one
// with the preview image, else the first.
var coverArea = fmt.Sprintf(`(qa(%s).find(vis) || qa(%s).find(vis) || null)`, browser.JS(selCoverAreaImg), browser.JS(selCoverArea))

// coverEntry is the visible 编辑封面/选择封面/设置封面 in the cover area.
var coverEntry = fmt.Sprintf(`(a => a && %s.map(t => findText(t, true, a)).find(Boolean) || null)(%s)`, flow.JSList(coverEntryTexts), coverArea)

// coverDialog is the open cover dialog.
var coverDialog = fmt.Sprintf(`qa(%s).find(vis)`, browser.JS(selCoverModal))

// cover sets the image at path as the cover: it opens the dialog, picks
// the tab that fits the image, uploads it, clicks 完成 and answers the
// confirmation that may follow (D:816-968).
func (d *Driver) cover(ctx context.Context, path string) error {
	if err := d.openCover(ctx); err != nil {
		return err
	}
	// The tab is found by its text (D:894-907). Whether the click took is
	// read from an active/selected mark where the tabs carry one.
	tabName := coverTab(path)
	tab := fmt.Sprintf(`(m => m && findText(%s, true, m))(%s)`, browser.JS(tabName), coverDialog)
	if err := page.WaitClick(ctx, d.to.Element, "cover.tab", "text="+tabName, tab); err != nil {
		return err
	}
	active := fmt.Sprintf(`(m => { if (!m) return false;
const marked = el => !!el && [el, el.parentElement].some(e => e && (/active|selected/.test(typeof e.className === 'string' ? e.className : '') || e.getAttribute('aria-selected') === 'true'));
const tabs = %s.map(t => findText(t, true, m)).filter(Boolean);
return !tabs.some(marked) || marked(findText(%s, true, m)); })(%s)`,
		flow.JSList([]string{textPortrait, textLandscape}), browser.JS(tabName), coverDialog)
	if err := page.Wait(ctx, d.to.Element, "cover.tab", "text="+tabName+" active", active); err != nil {
		return err
	}
	// Mark the image input: the one under the drag area, else the last one
	// (the first is the "AI reference image" slot, D:872-880).
	mark := fmt.Sprintf(`(m => { if (!m) return false;
const el = m.querySelector(%s) || Array.from(m.querySelectorAll(%s)).pop();
if (!el) return false;
document.querySelectorAll('[data-fanout-cover]').forEach(e => e.removeAttribute('data-fanout-cover'));
el.setAttribute('data-fanout-cover', '1'); return true; })(%s)`, browser.JS(selCoverInput), browser.JS(selCoverInputs), coverDialog)
	if err := page.Wait(ctx, d.to.Element, "cover.file", selCoverModal+" "+selCoverInput, mark); err != nil {
		return err
	}
	if err := browser.SetFiles(ctx, d.to.Element, "cover.file", `[data-fanout-cover]`, path); err != nil {
		return err
	}
	done := fmt.Sprintf(`(m => { const b = m && findIn('button', %s, true, m); return b && !b.classList.contains(%s) ? b : null; })(%s)`,
		browser.JS(textCoverDone), browser.JS(classDisabled), coverDialog)
	confirm := fmt.Sprintf(`(() => { for (const m of qa(%s)) {
  if (!vis(m) || m.closest(%s)) continue;
  const b = qa(%s, m).find(b => vis(b) && %s.includes(b.innerText.trim()));
  if (b) return b;
} return null; })()`, browser.JS(selModalContent), browser.JS(selCoverModal), browser.JS(selConfirmButton), flow.JSList(coverConfirmTexts))
	closed := fmt.Sprintf(`!document.querySelector(%s)`, browser.JS(selCoverModal))
	// 完成 closes the dialog or first asks to confirm. A click that does
	// neither (it landed while the dialog still moved as the preview
	// loaded) is made again, as SAU does up to 4 times (D:918-960).
	answered := closed + " || !!" + confirm
	wait := min(d.to.Element, 5*time.Second)
	for try := 1; ; try++ {
		if err := page.WaitClick(ctx, d.to.Element, "cover.done", "button:text-is(\"完成\"):not(."+classDisabled+")", done); err != nil {
			return err
		}
		err := page.Wait(ctx, wait, "cover.close", "no "+selCoverModal+" or a confirmation", answered)
		if err == nil {
			break
		}
		var se *web.SelectorError
		if !errors.As(err, &se) || ctx.Err() != nil || try == coverDoneTries {
			return err
		}
	}
	if ok, err := evalJS[bool](ctx, closed); err != nil || ok {
		return err
	}
	if err := page.Click(ctx, "cover.confirm", selModalContent+" button:text-is(\"确定\")", confirm); err != nil {
		return err
	}
	return page.Wait(ctx, d.to.Element, "cover.close", "no "+selCoverModal, closed)
}

// openCover opens the cover dialog as a person does: the mouse over the
// cover area reveals the entry, which is clicked; a click that opens
// nothing is tried again, up to coverOpenTries times (D:841-889).
func (d *Driver) openCover(ctx context.Context) error {
	if err := page.Wait(ctx, d.to.Element, "cover.area", selCoverAreaImg, coverArea); err != nil {
		return err
	}
	// Each look is bounded like SAU's (5 s for the dialog), so that the
	// tries fit in one Element bound of the default timeouts.
	wait := min(d.to.Element, 5*time.Second)
	var last error
	for range coverOpenTries {
		err := page.Hover(ctx, "cover.hover", selCoverAreaImg, coverArea)
		if err == nil {
			err = page.WaitClick(ctx, wait, "cover.open", selCoverArea+" text="+coverEntryTexts[1], coverEntry)
		}
		if err == nil {
			err = page.Wait(ctx, wait, "cover.dialog", selCoverModal, coverDialog)
		}
		var se *web.SelectorError
		if err == nil || !errors.As(err, &se) || ctx.Err() != nil {
			return err
		}
		last = err
	}
	return last
}

// recommendCover answers 请设置封面后再发布: it applies the first
// recommended frame as the cover and confirms 是否确认应用此封面？ when the
// site asks (D:795-814).
func (d *Driver) recommendCover(ctx context.Context) error {
	first := fmt.Sprintf(`qa(%s).find(vis) || null`, browser.JS(selRecommendCover))
	if err := page.WaitClick(ctx, d.to.Element, "cover.recommend", selRecommendCover, first); err != nil {
		return err
	}
	dialog := fmt.Sprintf(`findIn(%s, %s, false)`, browser.JS(selModalContent), browser.JS(textApplyCover))
	confirm := fmt.Sprintf(`(m => m && qa(%s, m).find(b => vis(b) && b.innerText.trim() === %s) || null)(%s)`,
		browser.JS(selConfirmButton), browser.JS(textConfirm), dialog)
	err := page.WaitClick(ctx, min(d.to.Element, recommendConfirmWait), "cover.recommend.confirm", textApplyCover+" button:text-is(\"确定\")", confirm)
	var se *web.SelectorError
	if errors.As(err, &se) && ctx.Err() == nil {
		// The site asks only sometimes; without the question the frame is
		// applied as it is.
		return nil
	}
	if err != nil {
		return err
	}
	return page.Wait(ctx, d.to.Element, "cover.recommend.close", textApplyCover+" hidden", "!"+dialog)
}
