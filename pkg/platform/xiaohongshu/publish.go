package xiaohongshu

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
)

// rules are what the site refuses before the page is touched, besides a
// description it cuts (validate): a 定时发布 more than 14 days ahead.
var rules = flow.Rules{MaxScheduleLead: 14 * 24 * time.Hour}

// validate refuses a description longer than the site takes, which it
// would cut, before the page is touched.
func validate(req platform.PublishRequest, _ time.Time) error {
	if n := utf8.RuneCountInString(strings.TrimSpace(req.Description)); n > maxDescription {
		return page.Invalid("description has %d characters, the site takes %d", n, maxDescription)
	}
	return nil
}

// Title returns the title as the site will store it: trimmed and cut to 20
// characters. FindPublished looks for this form.
func Title(title string) string {
	return strings.TrimSpace(flow.Truncate(strings.TrimSpace(title), maxTitle))
}

// Tags returns the tags the driver types: without '#' or spaces, no
// empties, at most 10 (the site's limit; more used to hang the editor).
func Tags(tags []string) []string { return flow.Tags(tags, maxTags) }

// Publish implements platform.Driver with flow's publish sequence.
func (d *Driver) Publish(ctx context.Context, req platform.PublishRequest, onProgress func(platform.Progress) error) (platform.PublishResult, error) {
	return page.Publish(ctx, d.to, req, onProgress, flow.Steps{Rules: rules, Validate: validate, Landing: d.publishPage(), Form: d.waitForm,
		Fill: d.fillText, Upload: d.waitUpload, Options: d.fillOptions, Submit: d.submit})
}

// waitForm waits for the note form's title.
func (d *Driver) waitForm(ctx context.Context, _ *flow.Run) error {
	if err := browser.WaitVisible(ctx, d.to.Form, "form.title", selTitle); err != nil {
		return page.StepErr(ctx, "open note form", err)
	}
	return nil
}

// fillText types the title, then the description, then each #tag, choosing
// the first entry of the topic list the editor opens for it.
func (d *Driver) fillText(ctx context.Context, r *flow.Run) error {
	req := r.Req
	if err := browser.Fill(ctx, "fill.title", selTitle, Title(req.Title)); err != nil {
		return page.StepErr(ctx, "fill title", err)
	}
	// Mark the editor while its empty paragraph still carries the
	// placeholder; the mark outlives the typing.
	mark := fmt.Sprintf(`(p => { const ed = p && p.closest(%s); if (!ed || !vis(ed)) return false;
ed.setAttribute('data-fanout-editor', '1'); return true; })(document.querySelector(%s))`, browser.JS(selEditable), browser.JS(selDescription))
	if err := page.Wait(ctx, d.to.Element, "fill.description", selDescription, mark); err != nil {
		return page.StepErr(ctx, "fill description", err)
	}
	const ed = `[data-fanout-editor]`
	desc := strings.TrimSpace(req.Description)
	if err := browser.Fill(ctx, "fill.description", ed, desc); err != nil {
		return page.StepErr(ctx, "fill description", err)
	}
	tags := Tags(req.Tags)
	if desc != "" && len(tags) > 0 {
		if err := browser.Press(ctx, browser.KeyEnter); err != nil {
			return page.StepErr(ctx, "type tags", err)
		}
	}
	list := fmt.Sprintf(`Array.from(document.querySelectorAll(%s)).find(vis)`, browser.JS(selTopicList))
	item := fmt.Sprintf(`(l => l && Array.from(l.querySelectorAll(%s)).find(vis))(%s)`, browser.JS(selTopicItem), list)
	for _, t := range tags {
		if err := browser.InsertText(ctx, "#"+t); err != nil {
			return page.StepErr(ctx, "type tags", err)
		}
		if err := page.WaitClick(ctx, d.to.Element, "tags.topic", selTopicList+" "+selTopicItem, item); err != nil {
			return page.StepErr(ctx, "type tags", err)
		}
		if err := page.Wait(ctx, d.to.Element, "tags.topic", selTopicList+" hidden", "!"+list); err != nil {
			return page.StepErr(ctx, "type tags", err)
		}
	}
	return nil
}

var percentRE = regexp.MustCompile(textUploading + `\D*(\d{1,3})\s*%`)

// waitUpload watches the status card that follows the file input until it
// shows the upload done, reporting the percentage it shows and choosing the
// file again each time it shows 上传失败, up to Config.UploadRetries times.
func (d *Driver) waitUpload(ctx context.Context, r *flow.Run) error {
	probe := fmt.Sprintf(`(() => {
const card = qa(%s).find(vis);
const text = card ? (card.innerText || '') : '';
const failEl = card && findText(%s, false, card);
const busy = text.includes(%s);
return {done: !!card && !failEl && !busy && %s.some(t => text.includes(t)), failed: !!fresh(failEl), progress: text, login: isLogin()};
})()`, browser.JS(selPreview), browser.JS(textFailed), browser.JS(textUploading), flow.JSList(textsUploaded))
	return page.WaitUpload(ctx, d.to.Upload, d.retries, flow.Upload{
		What: selPreview + ":has-text(\"上传成功\")", Probe: probe, Percent: percentRE, Failure: textFailed,
		Retry: func(ctx context.Context) error {
			return browser.SetFiles(ctx, d.to.Element, "upload.retry", selFileInput, r.Req.VideoPath)
		},
	}, r.Report)
}

// submit clicks 发布 (定时发布 when scheduled) and waits for the success page.
// A new error toast means the platform refused the note; the login page
// means the session expired.
func (d *Driver) submit(ctx context.Context, r *flow.Run) (string, error) {
	label := textPublish
	if !r.Req.ScheduleAt.IsZero() {
		label = textSchedule
	}
	return page.Submit(ctx, d.to.Publish, flow.Submit{Step: "publish", Toasts: selToast, Mark: markSuccess,
		Click: func(ctx context.Context) error {
			return page.WaitClick(ctx, d.to.Element, "publish.click", fmt.Sprintf(`button:text-is(%q)`, label), fmt.Sprintf(`findIn('button', %s, true)`, browser.JS(label)))
		}})
}
