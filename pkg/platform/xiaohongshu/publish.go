package xiaohongshu

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
	"fanout/pkg/web"
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

// Publish implements platform.Driver with flow's publish sequence. The
// form is filled only after the upload finished, as the reference
// uploader does (SAU X:633-672): until then the site may not show the
// title and the editor at all.
func (d *Driver) Publish(ctx context.Context, req platform.PublishRequest, onProgress func(platform.Progress) error) (platform.PublishResult, error) {
	if len(req.ImagePaths) > 0 {
		return d.publishNote(ctx, req, onProgress)
	}
	return page.Publish(ctx, d.to, req, onProgress, flow.Steps{Rules: rules, Validate: validate, Landing: d.publishPage(),
		Fill: nothingYet, Upload: d.waitUpload, Options: d.fillForm, Submit: d.submit})
}

// nothingYet is the fill during the upload: none, the text waits for it.
func nothingYet(context.Context, *flow.Run) error { return nil }

// fillForm fills the note once the upload finished, in the reference
// uploader's order: the text, then the options (SAU X:671-681).
func (d *Driver) fillForm(ctx context.Context, r *flow.Run) error {
	if err := d.fillText(ctx, r); err != nil {
		return err
	}
	return d.fillOptions(ctx, r)
}

// fillText types the title, then the description, then each #tag, choosing
// the first entry of the topic list the editor opens for it.
func (d *Driver) fillText(ctx context.Context, r *flow.Run) error {
	req := r.Req
	if err := browser.WaitVisible(ctx, d.to.Element, "fill.title", selTitle); err != nil {
		return page.StepErr(ctx, "fill title", err)
	}
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
	for _, t := range tags {
		if err := d.topic(ctx, t); err != nil {
			return page.StepErr(ctx, "type tags", err)
		}
	}
	return nil
}

// topic types #t key by key into the focused editor, waits for the topic
// list and clicks its first entry, as the reference uploader does (SAU
// X:443-454). The list comes from the site's search, which finds nothing
// for some words: a topic without a list within topicWait is erased again
// and left out with a warning (step "topics"), not a failed publish (SAU
// X:455-462).
func (d *Driver) topic(ctx context.Context, t string) error {
	typed := "#" + t
	if err := typeKeys(ctx, typed); err != nil {
		return err
	}
	wait := min(d.to.Element, topicWait)
	list := fmt.Sprintf(`Array.from(document.querySelectorAll(%s)).find(vis)`, browser.JS(selTopicList))
	item := fmt.Sprintf(`(l => l && Array.from(l.querySelectorAll(%s)).find(vis))(%s)`, browser.JS(selTopicItem), list)
	err := page.WaitClick(ctx, wait, "tags.topic", selTopicList+" "+selTopicItem, item)
	var se *web.SelectorError
	switch {
	case err == nil:
		return page.Wait(ctx, d.to.Element, "tags.topic", selTopicList+" hidden", "!"+list)
	case ctx.Err() != nil || !errors.As(err, &se):
		return err
	}
	if err := browser.Press(ctx, strings.Repeat(browser.KeyBackspace, utf8.RuneCountInString(typed))); err != nil {
		return err
	}
	platform.Warn(ctx, "topics", fmt.Sprintf("no suggestion for the topic #%s within %s: left out", t, wait))
	return nil
}

// typeKeys types s key by key, as a person does and as the reference
// uploader's keyboard.type (SAU X:447) does: a character a key types as
// that key (keydown, the character, keyup), any other (Chinese) as one
// inserted character, which is how that keyboard.type enters characters no
// key has. The editor opens its topic list on the '#' key.
func typeKeys(ctx context.Context, s string) error {
	for _, r := range s {
		var err error
		if r < utf8.RuneSelf && unicode.IsPrint(r) {
			err = browser.Press(ctx, string(r))
		} else {
			err = browser.InsertText(ctx, string(r))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

var percentRE = regexp.MustCompile(textUploading + `\D*(\d{1,3})\s*%`)

// waitUpload watches the status card that follows the file input until it
// shows the upload finished, reporting the percentage it shows and choosing
// the file again each time it shows 上传失败, up to Config.UploadRetries
// times. Finished is any of the reference uploader's signs in the card, or
// with no card the title input showing (SAU X:633-669).
func (d *Driver) waitUpload(ctx context.Context, r *flow.Run) error {
	probe := fmt.Sprintf(`(() => {
const card = qa(%s).find(vis);
const text = card ? (card.innerText || '') : '';
const failEl = card && findText(%s, false, card);
const busy = text.includes(%s);
const done = card ? !failEl && !busy && %s.some(t => text.includes(t)) : qa(%s).some(vis);
return {done: done, failed: !!fresh(failEl), progress: text, login: isLogin()};
})()`, browser.JS(selPreview), browser.JS(textFailed), browser.JS(textUploading), flow.JSList(textsUploaded), browser.JS(selTitle))
	return page.WaitUpload(ctx, d.to.Upload, d.retries, flow.Upload{
		What: selPreview + " showing it finished, or " + selTitle, Probe: probe, Percent: percentRE, Failure: textFailed,
		Retry: func(ctx context.Context) error {
			return browser.SetFiles(ctx, d.to.Element, "upload.retry", selFileInput, r.Req.Media()...)
		},
	}, r.Report)
}

// submit clicks 发布 (定时发布 when scheduled) and waits for the success page.
// The button is the one whose text contains the label, as the reference
// uploader finds it (SAU X:683-688): one that reads it exactly, else the
// red one (2026: button.ce-btn.bg-red), else the first. A new error toast
// means the platform refused the note (a success toast does not); the
// login page means the session expired.
func (d *Driver) submit(ctx context.Context, r *flow.Run) (string, error) {
	label := textPublish
	if !r.Req.ScheduleAt.IsZero() {
		label = textSchedule
	}
	button := fmt.Sprintf(`(() => { const t = b => (b.innerText || '').trim();
const bs = qa('button').filter(b => vis(b) && t(b).includes(%[1]s));
return bs.find(b => t(b) === %[1]s) || bs.find(b => b.matches(%[2]s)) || bs[0] || null; })()`, browser.JS(label), browser.JS(selPublishButton))
	return page.Submit(ctx, d.to.Publish, flow.Submit{Step: "publish", Toasts: selToast, Mark: markSuccess,
		Click: func(ctx context.Context) error {
			return page.WaitClick(ctx, d.to.Element, "publish.click", fmt.Sprintf(`button:has-text(%q)`, label), button)
		}})
}
