package tiktok

import (
	"context"
	"fmt"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform/flow"
	"fanout/pkg/web"
)

// schedule chooses Schedule, picks the day in the calendar and the hour and
// minute in the time picker (SAU TK:85-139), on the page's wall clock (the
// site reads the picker in the browser's time zone).
func (d *Driver) schedule(ctx context.Context, tx *texts, at time.Time) error {
	offset, err := evalJS[int](ctx, fmt.Sprintf(`0 - new Date(%d).getTimezoneOffset()`, at.UnixMilli()))
	if err != nil {
		return err
	}
	zone := time.FixedZone("page", offset*60)
	local := at.In(zone)
	radio := fmt.Sprintf(`findIn('label', %s, true)`, browser.JS(tx.schedule))
	if err := page.WaitClick(ctx, d.to.Element, "schedule.choose", `label:text-is("`+tx.schedule+`")`, radio); err != nil {
		return err
	}
	// The first time, TikTok asks to allow scheduling.
	inputs := fmt.Sprintf(`qa(%s).filter(vis)`, browser.JS(selPickerInputs))
	allow := fmt.Sprintf(`findIn(%s, %s, true)`, browser.JS(selAllow), browser.JS(tx.allow))
	if err := page.Wait(ctx, d.to.Element, "schedule.picker", selPickerInputs, inputs+`.length >= 2 || `+allow); err != nil {
		return err
	}
	if asked, err := evalJS[bool](ctx, inputs+`.length < 2 && !!`+allow); err != nil {
		return err
	} else if asked {
		if err := page.Click(ctx, "schedule.allow", selAllow+`:text-is("`+tx.allow+`")`, allow); err != nil {
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
	if err := d.pageTo(ctx, local.Year()*12+int(local.Month())-1, time.Now().In(zone)); err != nil {
		return err
	}
	day := fmt.Sprintf(`qa(%s).find(s => vis(s) && s.innerText.trim() === %s) || null`, browser.JS(selDay), browser.JS(fmt.Sprint(local.Day())))
	if err := page.WaitClick(ctx, d.to.Element, "schedule.day", fmt.Sprintf("%s:text-is(%q)", selDay, fmt.Sprint(local.Day())), day); err != nil {
		return err
	}
	// The time: hour, then minute (in the picker's 5-minute steps, which
	// validate holds the request to).
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

// pageTo pages the open calendar to the month want (months since year 0).
// Its title is the month's name only, so the year it shows is counted from
// now, and each click of an arrow is checked to show the month after (or
// before) by name.
func (d *Driver) pageTo(ctx context.Context, want int, now time.Time) error {
	title := fmt.Sprintf(`((qa(%s).find(vis) || {}).innerText || '').trim()`, browser.JS(selMonthTitle))
	if err := page.Wait(ctx, d.to.Element, "schedule.month", selMonthTitle, title+` !== ''`); err != nil {
		return err
	}
	shown, err := evalJS[string](ctx, title)
	if err != nil {
		return err
	}
	m, ok := month(shown)
	if !ok {
		return &web.SelectorError{Step: "schedule.month", Selector: selMonthTitle, Err: fmt.Errorf("month title %q is no month the driver knows", shown)}
	}
	for cur, clicks := nearest(m, now), 0; cur != want; clicks++ {
		if clicks == 12 {
			return &web.SelectorError{Step: "schedule.month", Selector: selMonthTitle, Err: fmt.Errorf("the calendar did not reach %s", time.Month(want%12+1))}
		}
		idx, step, next := 1, "schedule.next_month", cur+1
		if cur > want {
			idx, step, next = 0, "schedule.prev_month", cur-1
		}
		arrow := fmt.Sprintf(`qa(%s).filter(vis)[%d] || null`, browser.JS(selMonthArrow), idx)
		if err := page.WaitClick(ctx, d.to.Element, step, fmt.Sprintf("%s:nth(%d)", selMonthArrow, idx), arrow); err != nil {
			return err
		}
		name := time.Month(next%12 + 1)
		if err := page.Wait(ctx, d.to.Element, step, fmt.Sprintf("%s shows %s", selMonthTitle, name), fmt.Sprintf(`%s.includes(%s)`, monthTitles(name), title)); err != nil {
			return err
		}
		cur = next
	}
	return nil
}

// monthTitles is a JavaScript array of the titles m has in the languages
// the driver knows.
func monthTitles(m time.Month) string {
	var names []string
	for _, t := range known {
		names = append(names, t.months[m-1])
	}
	return flow.JSList(names)
}
