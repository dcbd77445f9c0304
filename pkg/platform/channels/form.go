package channels

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
	"fanout/pkg/web"
)

// declare picks the video label (视频标注) from its dropdown. A label the
// dropdown does not offer is an invalid request, not a changed page.
func (d *Driver) declare(ctx context.Context, decl string) error {
	entry := fmt.Sprintf(`findText(%s, true)`, browser.JS(textLabelEntry))
	if err := page.WaitClick(ctx, d.to.Element, "declaration.open", "text="+textLabelEntry, entry); err != nil {
		return err
	}
	offered := fmt.Sprintf(`qa(%s).filter(vis).map(o => o.innerText.trim())`, browser.JS(selLabelOption))
	if err := page.Offered(ctx, d.to.Element, "declaration.options", selLabelOption, offered, "video label", decl); err != nil {
		return err
	}
	option := fmt.Sprintf(`qa(%s).find(o => vis(o) && o.innerText.trim() === %s) || null`, browser.JS(selLabelOption), browser.JS(decl))
	if err := page.WaitClick(ctx, d.to.Element, "declaration.option", fmt.Sprintf("%s:text-is(%q)", selLabelOption, decl), option); err != nil {
		return err
	}
	return page.Wait(ctx, d.to.Element, "declaration.close", fmt.Sprintf("dropdown closed showing %q", decl),
		fmt.Sprintf(`!qa(%s).some(vis) && !!findText(%s, true)`, browser.JS(selLabelOptions), browser.JS(decl)))
}

// cover uploads the 3:4 personal-page card in its dialog and confirms it.
func (d *Driver) cover(ctx context.Context, path string) error {
	entry := fmt.Sprintf(`findIn(%s, %s, false)`, browser.JS(selCoverEntry), browser.JS(textCoverEntry))
	if err := page.WaitClick(ctx, d.to.Element, "cover.open", selCoverEntry+`:has-text("`+textCoverEntry+`")`, entry); err != nil {
		return err
	}
	dialog := fmt.Sprintf(`(qa(%s).find(dl => vis(dl) && %s.some(t => (dl.innerText || '').includes(t))) || null)`,
		browser.JS(selDialog), flow.JSList(textsCoverDialog))
	input := fmt.Sprintf(`(dl => dl && dl.querySelector(%s))(%s)`, browser.JS(selCoverInput), dialog)
	if err := page.Wait(ctx, d.to.Element, "cover.dialog", selDialog+" "+selCoverInput, input); err != nil {
		return err
	}
	if err := browser.SetFilesJS(ctx, d.to.Element, "cover.file", selCoverInput, page.Expr(input), path); err != nil {
		return err
	}
	confirm := fmt.Sprintf(`(dl => dl && Array.from(dl.querySelectorAll(%s)).find(b => vis(b) && b.innerText.trim() === %s && !b.className.includes(%s)))(%s)`,
		browser.JS(selDialogFooter), browser.JS(textConfirm), browser.JS(classDisabled), dialog)
	if err := page.WaitClick(ctx, d.to.Element, "cover.confirm", selDialogFooter+`:has-text("`+textConfirm+`")`, confirm); err != nil {
		return err
	}
	return page.Wait(ctx, d.to.Element, "cover.close", "cover dialog hidden", "!"+dialog)
}

var (
	yearRE  = regexp.MustCompile(`(\d{4})\s*年`)
	monthRE = regexp.MustCompile(`(\d{1,2})\s*月`)
)

// schedule chooses 定时, picks the day in the month/day picker and types the
// hour, on the page's wall clock (the site's script reads the picker in the
// browser's time zone). The site sets whole hours only, so a time with
// minutes is an invalid request.
func (d *Driver) schedule(ctx context.Context, at time.Time) error {
	offset, err := evalJS[int](ctx, fmt.Sprintf(`0 - new Date(%d).getTimezoneOffset()`, at.UnixMilli()))
	if err != nil {
		return err
	}
	local := at.In(time.FixedZone("page", offset*60))
	if local.Minute() != 0 || local.Second() != 0 {
		return fmt.Errorf("schedule %s: 视频号 publishes on the hour only: %w", local.Format(scheduleLayout), platform.ErrInvalidRequest)
	}
	radio := fmt.Sprintf(`findIn(%s, %s, true)`, browser.JS(selLabel), browser.JS(textScheduled))
	if err := page.WaitClick(ctx, d.to.Element, "schedule.choose", selLabel+`:text-is("`+textScheduled+`")`, radio); err != nil {
		return err
	}
	at0 := fmt.Sprintf(`qa(%s).find(vis) || null`, browser.JS(selScheduleAt))
	if err := page.WaitClick(ctx, d.to.Element, "schedule.open", selScheduleAt, at0); err != nil {
		return err
	}
	labels := fmt.Sprintf(`qa(%s).filter(vis).map(el => el.innerText.trim()).join(' ')`, browser.JS(selPickerLabel))
	want := local.Year()*12 + int(local.Month()) - 1
	for range 25 {
		if err := page.Wait(ctx, d.to.Element, "schedule.month", selPickerLabel, labels+` !== ''`); err != nil {
			return err
		}
		shown, err := evalJS[string](ctx, labels)
		if err != nil {
			return err
		}
		y, m := yearRE.FindStringSubmatch(shown), monthRE.FindStringSubmatch(shown)
		if y == nil || m == nil {
			return &web.SelectorError{Step: "schedule.month", Selector: selPickerLabel, Err: fmt.Errorf("label %q has no year and month", shown)}
		}
		yy, _ := strconv.Atoi(y[1])
		mm, _ := strconv.Atoi(m[1])
		cur := yy*12 + mm - 1
		if cur == want {
			break
		}
		btn, step := selPickerNext, "schedule.next_month"
		if cur > want {
			btn, step = selPickerPrev, "schedule.prev_month"
		}
		if err := page.WaitClick(ctx, d.to.Element, step, btn, fmt.Sprintf(`qa(%s).find(vis) || null`, browser.JS(btn))); err != nil {
			return err
		}
		if err := page.Wait(ctx, d.to.Element, step, selPickerLabel+" changes", fmt.Sprintf(`(%s) !== %s`, labels, browser.JS(shown))); err != nil {
			return err
		}
	}
	day := strconv.Itoa(local.Day())
	cells := fmt.Sprintf(`qa(%s).filter(a => vis(a) && a.innerText.trim() === %s)`, browser.JS(selPickerDay), browser.JS(day))
	if err := page.Wait(ctx, d.to.Element, "schedule.day", fmt.Sprintf("%s:text-is(%q)", selPickerDay, day), cells+`.length > 0`); err != nil {
		return err
	}
	cell := fmt.Sprintf(`(%s.find(a => !a.className.includes(%s)) || null)`, cells, browser.JS(classDayOff))
	if err := page.Click(ctx, "schedule.day", fmt.Sprintf("%s:text-is(%q):not(.%s)", selPickerDay, day, classDayOff), cell); err != nil {
		// The day is there but greyed out: the site does not offer it.
		return fmt.Errorf("schedule %s: the site does not offer that day (%v): %w", local.Format(scheduleLayout), err, platform.ErrInvalidRequest)
	}
	hour := fmt.Sprintf(`qa(%s).find(vis) || null`, browser.JS(selScheduleHour))
	if err := page.WaitClick(ctx, d.to.Element, "schedule.hour", selScheduleHour, hour); err != nil {
		return err
	}
	if err := browser.FocusJS(ctx, "schedule.hour", selScheduleHour, page.Expr(hour)); err != nil {
		return err
	}
	if err := browser.InsertText(ctx, fmt.Sprintf("%02d", local.Hour())); err != nil {
		return err
	}
	if err := browser.Press(ctx, browser.KeyEnter); err != nil {
		return err
	}
	// A click on the description closes the picker, as in the reference.
	if err := page.Click(ctx, "schedule.close", selEditor, fmt.Sprintf(`q(%s)`, browser.JS(selEditor))); err != nil {
		return err
	}
	value := local.Format(scheduleLayout)
	return page.Wait(ctx, d.to.Element, "schedule.value", fmt.Sprintf("%s value %q", selScheduleAt, value),
		fmt.Sprintf(`((q(%s) || {}).value || '').trim() === %s`, browser.JS(selScheduleAt), browser.JS(value)))
}

// fillOptions sets what the form needs after the upload: the video label
// (always), the cover and the schedule (optional), in the reference
// uploader's order.
func (d *Driver) fillOptions(ctx context.Context, r *flow.Run) error {
	return page.FillOptions(ctx, flow.Declare(Declaration(r.Req.Declaration, d.declaration), r.Req.Declaration != "", d.declare),
		flow.Cover(r.Req, d.cover), flow.Schedule(r.Req, d.schedule))
}

// Declaration returns the video label a request asks for: decl, or def
// when decl is empty. Douyin's wording of the AI label (内容由AI生成) maps to
// this site's (含AI生成内容), so one declaration serves a publish to both.
func Declaration(decl, def string) string {
	return flow.Declaration(decl, def, declarationAliases)
}
