package channels

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
	"fanout/pkg/web"
)

// declare picks the video label (视频标注) as the reference does: the
// exact text 选择视频标注, then the label's exact text (T:790-808). A label
// the dropdown does not offer is an invalid request, not a changed page.
func (d *Driver) declare(ctx context.Context, decl string) error {
	entry := fmt.Sprintf(`findText(%s, true)`, browser.JS(textLabelEntry))
	if err := page.WaitClick(ctx, d.to.Element, "declaration.open", "text="+textLabelEntry, entry); err != nil {
		return err
	}
	label := fmt.Sprintf(`findText(%s, true)`, browser.JS(decl))
	offered := fmt.Sprintf(`qa(%s).filter(vis).map(o => o.innerText.trim())`, browser.JS(selLabelOption))
	if err := page.Wait(ctx, d.to.Element, "declaration.options", "text="+decl, label+` || `+offered+`.length > 0`); err != nil {
		return err
	}
	if ok, err := evalJS[bool](ctx, "!!"+label); err != nil || !ok {
		if err := page.Offered(ctx, d.to.Element, "declaration.options", selLabelOption, offered, "video label", decl); err != nil {
			return err
		}
		label = fmt.Sprintf(`qa(%s).find(o => vis(o) && o.innerText.trim() === %s) || null`, browser.JS(selLabelOption), browser.JS(decl))
	}
	if err := page.WaitClick(ctx, d.to.Element, "declaration.option", "text="+decl, label); err != nil {
		return err
	}
	return page.Wait(ctx, d.to.Element, "declaration.close", fmt.Sprintf("dropdown closed showing %q", decl),
		fmt.Sprintf(`!qa(%s).some(vis) && !!findText(%s, true)`, browser.JS(selLabelOptions), browser.JS(decl)))
}

// coverKind is one of the two covers: the entry that opens its dialog and
// the dialog's titles.
type coverKind struct {
	step, entry, entryText string
	titles                 []string
}

var (
	landscapeCover = coverKind{"cover_landscape", selCoverLandscape, textCoverLandscape, textsLandscapeDialog}
	portraitCover  = coverKind{"cover", selCoverPortrait, textCoverPortrait, textsPortraitDialog}
)

// cover uploads path as the cover k in its dialog and confirms it
// (T:1063-1096). A dialog left open by a failure is cancelled, so that the
// steps after a skipped cover can still reach the form.
func (d *Driver) cover(ctx context.Context, k coverKind, path string) (err error) {
	entry := fmt.Sprintf(`findIn(%s, %s, false)`, browser.JS(k.entry), browser.JS(k.entryText))
	if err := page.WaitClick(ctx, d.to.Element, k.step+".open", k.entry+`:has-text("`+k.entryText+`")`, entry); err != nil {
		return err
	}
	dialog := fmt.Sprintf(`(qa(%s).find(dl => vis(dl) && %s.some(t => (dl.innerText || '').includes(t))) || null)`,
		browser.JS(selDialog), flow.JSList(k.titles))
	defer func() {
		if err != nil && ctx.Err() == nil {
			cancel := fmt.Sprintf(`((dl) => dl ? qa('button', dl).find(b => vis(b) && b.innerText.trim() === %s) || null : null)(%s)`, browser.JS(textCancel), dialog)
			_ = page.Click(ctx, k.step+".cancel", selDialog+` button:text-is("`+textCancel+`")`, cancel)
		}
	}()
	input := fmt.Sprintf(`(dl => dl && dl.querySelector(%s))(%s)`, browser.JS(selCoverInput), dialog)
	if err := page.Wait(ctx, d.to.Element, k.step+".dialog", selDialog+" "+selCoverInput, input); err != nil {
		return err
	}
	if err := browser.SetFilesJS(ctx, d.to.Element, k.step+".file", selCoverInput, page.Expr(input), path); err != nil {
		return err
	}
	confirm := fmt.Sprintf(`(dl => dl && Array.from(dl.querySelectorAll(%s)).find(b => vis(b) && b.innerText.trim() === %s && !b.className.includes(%s)))(%s)`,
		browser.JS(selDialogFooter), browser.JS(textConfirm), browser.JS(classDisabled), dialog)
	if err := page.WaitClick(ctx, d.to.Element, k.step+".confirm", selDialogFooter+`:has-text("`+textConfirm+`")`, confirm); err != nil {
		return err
	}
	return page.Wait(ctx, d.to.Element, k.step+".close", "cover dialog hidden", "!"+dialog)
}

// collectionBox is a JavaScript expression yielding the div after the
// text 添加到合集, which opens the collections (T:752), or null.
var collectionBox = fmt.Sprintf(`((t) => { for (let s = t && t.nextElementSibling; s; s = s.nextElementSibling) if (s.tagName === 'DIV') return s; return null; })(findText(%s, true))`,
	browser.JS(textCollection))

// collection adds the post to the collection (合集) called name: the div
// after 添加到合集 opens the list, and the item whose name is exactly name
// is picked (T:737-788). A name the list does not offer is an invalid
// request.
func (d *Driver) collection(ctx context.Context, name string) error {
	if err := page.WaitClick(ctx, d.to.Element, "collection.open", "text="+textCollection+" + div", collectionBox); err != nil {
		return err
	}
	items := fmt.Sprintf(`((b) => b ? qa(%s, b).filter(vis) : [])(%s)`, browser.JS(selCollectionItem), collectionBox)
	nameOf := fmt.Sprintf(`(o => ((q(%s, o) || o).innerText || '').trim())`, browser.JS(selCollectionName))
	if err := page.Offered(ctx, d.to.Element, "collection.options", selCollectionItem, items+`.map(`+nameOf+`)`, "collection", name); err != nil {
		return err
	}
	item := fmt.Sprintf(`%s.find(o => %s(o) === %s) || null`, items, nameOf, browser.JS(name))
	if err := page.WaitClick(ctx, d.to.Element, "collection.option", fmt.Sprintf("%s:has(%s:text-is(%q))", selCollectionItem, selCollectionName, name), item); err != nil {
		return err
	}
	return page.Wait(ctx, d.to.Element, "collection.close", fmt.Sprintf("collection list closed showing %q", name),
		fmt.Sprintf(`((b) => b && !qa(%s, b).some(vis) && (b.innerText || '').includes(%s))(%s)`, browser.JS(selCollectionList), browser.JS(name), collectionBox))
}

// shortTitleInput is a JavaScript expression yielding the short title's
// input: the one with the placeholder, else the `span input[type="text"]`
// of a div after the parent of the exact text 短标题 (T:682-689); null when
// the form has neither.
var shortTitleInput = fmt.Sprintf(`(q(%s) || ((t) => {
  for (let s = t && t.parentElement && t.parentElement.nextElementSibling; s; s = s.nextElementSibling) {
    const i = s.tagName === 'DIV' && s.querySelector(%s);
    if (i) return i;
  }
  return null;
})(findText(%s, true)))`, browser.JS(selShortTitle), browser.JS(selShortTitleNext), browser.JS(textShortTitle))

// shortTitle types value as the short title (短标题).
func (d *Driver) shortTitle(ctx context.Context, value string) error {
	what := selShortTitle + ", text=" + textShortTitle + " .. + div " + selShortTitleNext
	if err := page.Wait(ctx, d.to.Element, "short_title.find", what, shortTitleInput); err != nil {
		return err
	}
	if err := browser.FocusJS(ctx, "short_title.fill", what, page.Expr(shortTitleInput)); err != nil {
		return err
	}
	if err := browser.InsertText(ctx, value); err != nil {
		return err
	}
	return page.Wait(ctx, d.to.Element, "short_title.value", fmt.Sprintf("short title %q", value),
		fmt.Sprintf(`((i) => i && i.value === %s)(%s)`, browser.JS(value), shortTitleInput))
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

// fillOptions sets what the form needs after the upload, in the
// reference's order (T:1122-1130): the collection, the video label, the
// covers (4:3, then 3:4), the schedule, the short title. A real-name check
// that came up during the upload is put to a person first. The request's
// cover is the 3:4 card; the 4:3 feed cover from the same image is a
// default, skipped with a warning when it fails, and so are the video
// label and a short title derived from the title.
func (d *Driver) fillOptions(ctx context.Context, r *flow.Run) error {
	if err := d.passRealName(ctx, "options"); err != nil {
		return err
	}
	req := r.Req
	return page.FillOptions(ctx,
		flow.Option{Op: "collection", When: req.Collection != "",
			Run: func(ctx context.Context) error { return d.collection(ctx, req.Collection) }},
		flow.Declare(Declaration(req.Declaration, d.declaration), req.Declaration != "", d.declare),
		flow.Option{Op: "cover 4:3", When: req.CoverPath != "", Default: true,
			Run: func(ctx context.Context) error { return d.cover(ctx, landscapeCover, req.CoverPath) }},
		flow.Cover(req, func(ctx context.Context, path string) error { return d.cover(ctx, portraitCover, path) }),
		flow.Schedule(req, d.schedule),
		flow.Option{Op: "short title", When: true, Default: strings.TrimSpace(req.ShortTitle) == "",
			Run: func(ctx context.Context) error { return d.shortTitle(ctx, ShortTitle(req.ShortTitle, req.Title)) }},
	)
}

// Declaration returns the video label a request asks for: decl, or def
// when decl is empty. Douyin's wording of the AI label (内容由AI生成) maps to
// this site's (含AI生成内容), so one declaration serves a publish to both.
func Declaration(decl, def string) string {
	return flow.Declaration(decl, def, declarationAliases)
}
