package youtube

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
	"fanout/pkg/web"
)

// maxNext bounds the Next clicks to the visibility page (three in Studio:
// details, video elements, checks; SAU tries five, §3.8 step 8).
const maxNext = 5

// options fills the rest of the dialog in the reference's order (§3.8
// steps 4-9): the thumbnail, the audience, the tags, Next until the
// visibility page, the visibility or the schedule, then the wait for
// Studio's checks, which enable Done.
func (d *Driver) options(ctx context.Context, r *flow.Run) error {
	tags := Tags(r.Req.Tags)
	return page.FillOptions(ctx,
		flow.Cover(r.Req, d.thumbnail),
		flow.Option{Op: "audience", When: true, Run: func(ctx context.Context) error { return d.audience(ctx, r.Req.MadeForKids) }},
		flow.Option{Op: "tags", When: len(tags) > 0, Run: func(ctx context.Context) error { return d.tags(ctx, r.Req.Tags, tags) }},
		flow.Option{Op: "next", When: true, Run: d.toVisibility},
		flow.Option{Op: "visibility", When: r.Req.ScheduleAt.IsZero(), Run: func(ctx context.Context) error {
			return d.check(ctx, "visibility", selVisibility(visibilityRadio[strings.ToLower(strings.TrimSpace(r.Req.Visibility))]))
		}},
		flow.Schedule(r.Req, d.schedule),
		flow.Option{Op: "checks", When: true, Run: d.waitChecks})
}

// thumbnail chooses the cover in the thumbnail uploader's file input (§3.8
// step 4) and waits for its preview.
func (d *Driver) thumbnail(ctx context.Context, path string) error {
	input := fmt.Sprintf(`q(%s)`, browser.JS(selThumbnailInput))
	if err := page.Wait(ctx, d.to.Element, "cover.input", selThumbnailInput, input); err != nil {
		return err
	}
	if err := browser.SetFilesJS(ctx, d.to.Element, "cover.input", selThumbnailInput, page.Expr(input), path); err != nil {
		return err
	}
	return page.Wait(ctx, d.to.Element, "cover.preview", selThumbnailImg, fmt.Sprintf(`qa(%s).some(i => vis(i) && i.getAttribute('src'))`, browser.JS(selThumbnailImg)))
}

// audience answers whether the video is made for kids: not made for kids
// unless the request says it is (§3.8 step 6). Studio's Next goes nowhere
// without an answer.
func (d *Driver) audience(ctx context.Context, madeForKids *bool) error {
	radio := selNotMadeForKids
	if madeForKids != nil && *madeForKids {
		radio = selMadeForKids
	}
	return d.check(ctx, "audience", radio)
}

// check clicks the radio css unless it is checked, and waits until it is.
func (d *Driver) check(ctx context.Context, step, css string) error {
	radio := fmt.Sprintf(`qa(%s).find(vis) || null`, browser.JS(css))
	checked := fmt.Sprintf(`(r => !!r && r.getAttribute('aria-checked') === 'true')(%s)`, radio)
	if err := page.Wait(ctx, d.to.Element, step, css, radio); err != nil {
		return err
	}
	if on, err := evalJS[bool](ctx, checked); err != nil || on {
		return err
	}
	if err := page.Click(ctx, step, css, radio); err != nil {
		return err
	}
	return page.Wait(ctx, d.to.Element, step, css+`[aria-checked="true"]`, checked)
}

// Tags returns the tags the driver types: without '#' or white space, no
// empties, at most 30, and only as many as fit in 500 characters joined by
// commas (§3.8 step 7); later ones are dropped whole rather than cut.
func Tags(tags []string) []string {
	var out []string
	n := 0
	for _, t := range flow.Tags(tags, maxTags) {
		l := utf8.RuneCountInString(t)
		if len(out) > 0 {
			l++ // the comma before it
		}
		if n+l > maxTagChars {
			break
		}
		out = append(out, t)
		n += l
	}
	return out
}

// tags opens "Show more" and types the tags into the tags input, joined by
// commas with a trailing comma, which turns each into a chip (§3.8 step 7).
// Tags dropped for the 500-character limit are reported as a warning.
func (d *Driver) tags(ctx context.Context, asked, tags []string) error {
	if n := len(flow.Tags(asked, maxTags)); n > len(tags) {
		platform.Warn(ctx, "tags", fmt.Sprintf("%d tags dropped: YouTube takes at most %d characters of tags", n-len(tags), maxTagChars))
	}
	input := fmt.Sprintf(`qa(%s).find(vis) || null`, browser.JS(selTagsInput))
	if shown, err := evalJS[bool](ctx, "!!("+input+")"); err != nil {
		return err
	} else if !shown {
		more := fmt.Sprintf(`qa(%s).find(vis) || null`, browser.JS(selShowMore))
		if err := page.WaitClick(ctx, d.to.Element, "tags.show_more", selShowMore, more); err != nil {
			return err
		}
	}
	if err := page.WaitClick(ctx, d.to.Element, "tags.input", selTagsInput, input); err != nil {
		return err
	}
	if err := browser.InsertText(ctx, strings.Join(tags, ",")+","); err != nil {
		return err
	}
	return page.Wait(ctx, d.to.Element, "tags.chips", fmt.Sprintf("%d %s", len(tags), selTagChips),
		fmt.Sprintf(`qa(%s).length >= %d`, browser.JS(selTagChips), len(tags)))
}

// toVisibility clicks Next, one page at a time, until the visibility radios
// show (§3.8 step 8). After each click it waits for the next page (or the
// radios), so a slow page is never clicked past.
func (d *Driver) toVisibility(ctx context.Context) error {
	radio := selVisibility(visibilityRadio["public"])
	probe := fmt.Sprintf(`({shown: qa(%s).some(vis), step: ((qa(%s).find(vis) || {}).innerText || '').trim()})`,
		browser.JS(radio), browser.JS(selActiveStep))
	next := fmt.Sprintf(`(b => b && vis(b) && !b.hasAttribute('disabled') ? b : null)(q(%s))`, browser.JS(selNext))
	for clicks := 0; ; clicks++ {
		if err := d.dismissAutocomplete(ctx, "next"); err != nil {
			return err
		}
		st, err := evalJS[struct {
			Shown bool   `json:"shown"`
			Step  string `json:"step"`
		}](ctx, probe)
		if err != nil {
			return err
		}
		if st.Shown {
			return nil
		}
		if clicks == maxNext {
			return &web.SelectorError{Step: "next", Selector: radio, Err: fmt.Errorf("not shown after %d Next clicks", clicks)}
		}
		if err := page.WaitClick(ctx, d.to.Element, "next", selNext, next); err != nil {
			return err
		}
		moved := fmt.Sprintf(`(s => s.shown || s.step !== %s)(%s)`, browser.JS(st.Step), probe)
		if err := page.Wait(ctx, d.to.Element, "next", "the page after "+st.Step, moved); err != nil {
			return err
		}
	}
}

// schedule expands the Schedule section and types the date and the time,
// each committed with Enter, on the page's wall clock (assumed, see
// selectors.go).
func (d *Driver) schedule(ctx context.Context, at time.Time) error {
	offset, err := evalJS[int](ctx, fmt.Sprintf(`0 - new Date(%d).getTimezoneOffset()`, at.UnixMilli()))
	if err != nil {
		return err
	}
	local := at.In(time.FixedZone("page", offset*60))
	date, clock := local.Format(scheduleDate), local.Format(scheduleTime)
	dateInput := fmt.Sprintf(`qa(%s).find(vis) || null`, browser.JS(selScheduleDate))
	if shown, err := evalJS[bool](ctx, "!!("+dateInput+")"); err != nil {
		return err
	} else if !shown {
		expand := fmt.Sprintf(`qa(%s).find(vis) || null`, browser.JS(selScheduleExpand))
		if err := page.WaitClick(ctx, d.to.Element, "schedule.expand", selScheduleExpand, expand); err != nil {
			return err
		}
	}
	for _, f := range []struct{ step, css, text string }{
		{"schedule.date", selScheduleDate, date},
		{"schedule.time", selScheduleTime, clock},
	} {
		if err := page.WaitClick(ctx, d.to.Element, f.step, f.css, fmt.Sprintf(`qa(%s).find(vis) || null`, browser.JS(f.css))); err != nil {
			return err
		}
		if err := page.Focus(ctx, d.to.Element, f.step, f.css); err != nil {
			return err
		}
		if err := flow.TypeKeys(ctx, []flow.Key{{Text: f.text}, {Press: browser.KeyEnter}}); err != nil {
			return err
		}
	}
	ok := fmt.Sprintf(`(d => !!d && d.value === %s && (q(%s) || {}).value === %s && !qa(%s).some(vis))(q(%s))`,
		browser.JS(date), browser.JS(selScheduleTime), browser.JS(clock), browser.JS(selScheduleError), browser.JS(selScheduleDate))
	if err := page.Wait(ctx, d.to.Element, "schedule.value", fmt.Sprintf("%s %s accepted", date, clock), ok); err != nil {
		msg, _ := evalJS[string](ctx, fmt.Sprintf(`qa(%s).filter(vis).map(e => e.innerText.trim()).join('; ')`, browser.JS(selScheduleError)))
		if msg != "" {
			return fmt.Errorf("schedule %s %s: %s: %w", date, clock, msg, platform.ErrInvalidRequest)
		}
		return err
	}
	return nil
}

// waitChecks waits, bounded by Timeouts.Upload, until Studio's checks are
// over: the progress label says so and Done is enabled (§3.8 steps 9-10).
func (d *Driver) waitChecks(ctx context.Context) error {
	label := fmt.Sprintf(`(l => %s.some(w => l.includes(w)))(qa(%s).map(e => e.innerText || '').join(' '))`,
		flow.JSList(textsProgressDone), browser.JS(selProgress))
	return page.Wait(ctx, d.to.Upload, "checks", selDone+":enabled", label+` && !!(`+doneButton+`)`)
}
