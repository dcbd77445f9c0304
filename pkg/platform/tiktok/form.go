package tiktok

import (
	"context"
	"fmt"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform/flow"
	"fanout/pkg/web"
)

// fillOptions sets what the form needs after the upload: the cover
// (optional), the content disclosure (always) and the schedule (optional).
func (d *Driver) fillOptions(ctx context.Context, r *flow.Run) error {
	return page.FillOptions(ctx, flow.Cover(r.Req, d.cover),
		flow.Declare(Declaration(r.Req.Declaration, d.declaration), r.Req.Declaration != "", d.declare), flow.Schedule(r.Req, d.schedule))
}

// cover uploads the cover in the cover editor and confirms it.
func (d *Driver) cover(ctx context.Context, path string) error {
	if err := page.WaitClick(ctx, d.to.Element, "cover.open", selCoverContainer, fmt.Sprintf(`qa(%s).find(vis) || null`, browser.JS(selCoverContainer))); err != nil {
		return err
	}
	tab := fmt.Sprintf(`findIn(%s, %s, false)`, browser.JS(selCoverEdit), browser.JS(textUploadCover))
	if err := page.WaitClick(ctx, d.to.Element, "cover.tab", selCoverEdit+` text=`+textUploadCover, tab); err != nil {
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
		browser.JS(textConfirm), browser.JS(selCoverPanel))
	if err := page.WaitClick(ctx, d.to.Element, "cover.confirm", selCoverPanel+` button:text-is("`+textConfirm+`")`, confirm); err != nil {
		return err
	}
	return page.Wait(ctx, d.to.Element, "cover.close", "cover panel hidden", fmt.Sprintf(`!qa(%s).some(vis)`, browser.JS(selCoverPanel)))
}

// Declaration returns the disclosure a request asks for: decl, or def when
// decl is empty. The Chinese platforms' AI labels map to TikTok's
// "AI-generated content", so one declaration serves a publish to all.
func Declaration(decl, def string) string {
	return flow.Declaration(decl, def, declarationAliases)
}

// declare turns on the content disclosure decl: a switch of its own (as
// "AI-generated content") or an option under "Disclose post content". One
// the page does not offer is an invalid request, not a changed page.
func (d *Driver) declare(ctx context.Context, decl string) error {
	rows := fmt.Sprintf(`qa(%s).filter(vis)`, browser.JS(selSettingRow))
	more := fmt.Sprintf(`findIn('button', %s, true)`, browser.JS(textShowMore))
	if err := page.Wait(ctx, d.to.Element, "declaration.open", `button:text-is("`+textShowMore+`") or `+selSettingRow, more+` || `+rows+`.length > 0`); err != nil {
		return err
	}
	if open, err := evalJS[bool](ctx, rows+`.length > 0`); err != nil {
		return err
	} else if !open {
		if err := page.Click(ctx, "declaration.open", `button:text-is("`+textShowMore+`")`, more); err != nil {
			return err
		}
		if err := page.Wait(ctx, d.to.Element, "declaration.open", selSettingRow, rows+`.length > 0`); err != nil {
			return err
		}
	}
	switchOf := func(title string) string {
		return fmt.Sprintf(`(r => r && r.querySelector(%s))(%s.find(r => (r.innerText || '').trim().startsWith(%s)))`, browser.JS(selSwitch), rows, browser.JS(title))
	}
	turnOn := func(step, title string) error {
		sw := switchOf(title)
		off := fmt.Sprintf(`(s => s && s.getAttribute('aria-checked') !== 'true' ? s : null)(%s)`, sw)
		if isOff, err := evalJS[bool](ctx, "!!"+off); err != nil {
			return err
		} else if isOff {
			if err := page.Click(ctx, step, fmt.Sprintf(`%s:has-text(%q) %s`, selSettingRow, title, selSwitch), off); err != nil {
				return err
			}
		}
		return page.Wait(ctx, d.to.Element, step, fmt.Sprintf(`%s:has-text(%q) %s[aria-checked="true"]`, selSettingRow, title, selSwitch),
			fmt.Sprintf(`(s => s && s.getAttribute('aria-checked') === 'true')(%s)`, sw))
	}
	offered := fmt.Sprintf(`%s.map(r => (r.innerText || '').trim()).concat(qa(%s).map(l => (l.innerText || l.textContent || '').trim()))`,
		rows, browser.JS(selDiscloseOption))
	if err := page.Offered(ctx, d.to.Element, "declaration.open", selSettingRow, offered, "disclosure", decl); err != nil {
		return err
	}
	if own, err := evalJS[bool](ctx, "!!"+switchOf(decl)); err != nil {
		return err
	} else if own {
		return turnOn("declaration.switch", decl)
	}
	if err := page.Wait(ctx, d.to.Element, "declaration.disclose", fmt.Sprintf(`%s:has-text(%q)`, selSettingRow, textDisclose), switchOf(textDisclose)); err != nil {
		return err
	}
	if err := turnOn("declaration.disclose", textDisclose); err != nil {
		return err
	}
	box := fmt.Sprintf(`(l => l && l.querySelector('input[type="checkbox"]'))(qa(%s).find(l => vis(l) && l.innerText.trim() === %s))`, browser.JS(selDiscloseOption), browser.JS(decl))
	if err := page.Wait(ctx, d.to.Element, "declaration.option", fmt.Sprintf(`%s:text-is(%q)`, selDiscloseOption, decl), box); err != nil {
		return err
	}
	if err := page.Click(ctx, "declaration.option", selDiscloseOption, fmt.Sprintf(`(b => b && !b.checked ? b : null)(%s)`, box)); err != nil {
		return err
	}
	return page.Wait(ctx, d.to.Element, "declaration.option", "checked "+decl, box+`.checked`)
}

// schedule chooses Schedule, picks the day in the calendar and the hour and
// minute in the time picker, on the page's wall clock (the site reads the
// picker in the browser's time zone).
func (d *Driver) schedule(ctx context.Context, at time.Time) error {
	offset, err := evalJS[int](ctx, fmt.Sprintf(`0 - new Date(%d).getTimezoneOffset()`, at.UnixMilli()))
	if err != nil {
		return err
	}
	local := at.In(time.FixedZone("page", offset*60))
	radio := fmt.Sprintf(`findIn('label', %s, true)`, browser.JS(textSchedule))
	if err := page.WaitClick(ctx, d.to.Element, "schedule.choose", `label:text-is("`+textSchedule+`")`, radio); err != nil {
		return err
	}
	// The first time, TikTok asks to allow scheduling.
	inputs := fmt.Sprintf(`qa(%s).filter(vis)`, browser.JS(selPickerInputs))
	allow := fmt.Sprintf(`findIn(%s, %s, true)`, browser.JS(selAllow), browser.JS(textAllow))
	if err := page.Wait(ctx, d.to.Element, "schedule.picker", selPickerInputs, inputs+`.length >= 2 || `+allow); err != nil {
		return err
	}
	if asked, err := evalJS[bool](ctx, inputs+`.length < 2 && !!`+allow); err != nil {
		return err
	} else if asked {
		if err := page.Click(ctx, "schedule.allow", selAllow+`:text-is("`+textAllow+`")`, allow); err != nil {
			return err
		}
		if err := page.Wait(ctx, d.to.Element, "schedule.picker", selPickerInputs, inputs+`.length >= 2`); err != nil {
			return err
		}
	}
	// The date: the calendar's month, then the day.
	if err := page.Click(ctx, "schedule.date", selPickerInputs+":nth(1)", inputs+`[1]`); err != nil {
		return err
	}
	title := fmt.Sprintf(`(qa(%s).find(vis) || {}).innerText || ''`, browser.JS(selMonthTitle))
	for range 13 {
		if err := page.Wait(ctx, d.to.Element, "schedule.month", selMonthTitle, title+` !== ''`); err != nil {
			return err
		}
		shown, err := evalJS[string](ctx, title)
		if err != nil {
			return err
		}
		m, err := time.Parse(monthLayout, shown)
		if err != nil {
			return &web.SelectorError{Step: "schedule.month", Selector: selMonthTitle, Err: fmt.Errorf("month title %q: %w", shown, err)}
		}
		cur := m.Year()*12 + int(m.Month()) - 1
		want := local.Year()*12 + int(local.Month()) - 1
		if cur == want {
			break
		}
		idx, step := 1, "schedule.next_month"
		if cur > want {
			idx, step = 0, "schedule.prev_month"
		}
		arrow := fmt.Sprintf(`qa(%s).filter(vis)[%d] || null`, browser.JS(selMonthArrow), idx)
		if err := page.WaitClick(ctx, d.to.Element, step, fmt.Sprintf("%s:nth(%d)", selMonthArrow, idx), arrow); err != nil {
			return err
		}
		if err := page.Wait(ctx, d.to.Element, step, selMonthTitle+" changes", fmt.Sprintf(`(%s) !== %s`, title, browser.JS(shown))); err != nil {
			return err
		}
	}
	day := fmt.Sprintf(`qa(%s).find(s => vis(s) && s.innerText.trim() === %s) || null`, browser.JS(selDay), browser.JS(fmt.Sprint(local.Day())))
	if err := page.WaitClick(ctx, d.to.Element, "schedule.day", fmt.Sprintf("%s:text-is(%q)", selDay, fmt.Sprint(local.Day())), day); err != nil {
		return err
	}
	// The time: hour, then minute.
	if err := page.Click(ctx, "schedule.time", selPickerInputs+":nth(0)", inputs+`[0]`); err != nil {
		return err
	}
	pick := func(step, css, text string) error {
		el := fmt.Sprintf(`qa(%s).find(s => vis(s) && s.innerText.trim() === %s) || null`, browser.JS(css), browser.JS(text))
		return page.WaitClick(ctx, d.to.Element, step, fmt.Sprintf("%s:text-is(%q)", css, text), el)
	}
	if err := pick("schedule.hour", selHour, fmt.Sprintf("%02d", local.Hour())); err != nil {
		return err
	}
	if err := pick("schedule.minute", selMinute, fmt.Sprintf("%02d", local.Minute())); err != nil {
		return err
	}
	date, clock := local.Format(dateLayout), local.Format(timeLayout)
	return page.Wait(ctx, d.to.Element, "schedule.value", fmt.Sprintf("%s shows %s %s", selPickerInputs, date, clock),
		fmt.Sprintf(`(i => i.length >= 2 && i[0].innerText.includes(%s) && i[1].innerText.includes(%s))(%s)`, browser.JS(clock), browser.JS(date), inputs))
}
