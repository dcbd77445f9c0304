package baijiahao

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
)

// maxTitle is how many characters of a title the site keeps (§3.7 step 2).
const maxTitle = 30

// Title returns the title as the site will store it: trimmed and cut to 30
// characters. FindPublished looks for this form. A title shorter than 9 is
// refused before the page (platform.Capabilities.TitleMin), never padded.
func Title(title string) string {
	return strings.TrimSpace(flow.Truncate(strings.TrimSpace(title), maxTitle))
}

// Publish implements platform.Driver with flow's publish sequence: the
// video is set on the page's file input, the title typed while it uploads,
// then the cover, the declaration and the collection, then 发布.
func (d *Driver) Publish(ctx context.Context, req platform.PublishRequest, onProgress func(platform.Progress) error) (platform.PublishResult, error) {
	// The video form has a title only (§3.7): what else the request carries
	// is not sent, and the task says so rather than dropping it silently.
	if req.Description != "" || len(req.Tags) > 0 {
		platform.Warn(ctx, "fill", "Baijiahao's video form has no description or tags; they were not sent")
	}
	return page.Publish(ctx, d.to, req, onProgress, flow.Steps{Landing: d.publishPage(),
		Form: d.waitForm, Fill: d.fillTitle, Upload: d.waitUpload, Options: d.fillOptions, Submit: d.submit})
}

// waitForm waits for the title editor, which the form shows once a video
// was chosen (§3.7 step 2), and marks it.
func (d *Driver) waitForm(ctx context.Context, _ *flow.Run) error {
	mark := fmt.Sprintf(`(ed => { if (!ed) return false; ed.setAttribute('data-fanout-title', '1'); return true; })(qa(%s).find(vis))`,
		browser.JS(selTitleEditor))
	if err := page.Wait(ctx, d.to.Form, "form.title", selTitleEditor, mark); err != nil {
		return page.StepErr(ctx, "open publish form", err)
	}
	return nil
}

// fillTitle replaces what the editor holds (the site may have put the
// file's name there) with the title, as a person does: a click into it,
// everything selected, deleted, then the title typed (§3.7 step 2).
func (d *Driver) fillTitle(ctx context.Context, r *flow.Run) error {
	const ed = `[data-fanout-title]`
	if err := page.Click(ctx, "fill.title", selTitleEditor, `q('[data-fanout-title]')`); err != nil {
		return page.StepErr(ctx, "fill title", err)
	}
	if err := browser.Focus(ctx, "fill.title", ed); err != nil {
		return page.StepErr(ctx, "fill title", err)
	}
	if err := browser.Press(ctx, browser.KeyBackspace); err != nil {
		return page.StepErr(ctx, "fill title", err)
	}
	if err := browser.InsertText(ctx, Title(r.Req.Title)); err != nil {
		return page.StepErr(ctx, "fill title", err)
	}
	return nil
}

// percentRE finds the upload's percentage (§3.7 step 3).
var percentRE = regexp.MustCompile(`(\d{1,3})\s*%`)

// uploadProbe reads the upload (§3.7 step 3): the first "NN%" outside the
// editable content (a title may hold one); 上传失败 is a failure. It is
// done once a percentage was seen and then went away or reached 100, or —
// for a file so small the page showed none — once the site's cover shows
// or 15 s passed, as the reference waits. The first look and a seen
// percentage are kept on the form, so a retry starts over.
var uploadProbe = fmt.Sprintf(`(() => {
const form = document.body;
let pctText = '';
const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let n; (n = w.nextNode());) {
  if (!n.parentElement || n.parentElement.isContentEditable || !vis(n.parentElement)) continue;
  if (/\d{1,3}\s*%%/.test(n.data)) { pctText = n.data.trim(); break; }
}
const failEl = findText(%s, false);
if (!form.dataset.fanoutUploadStart) form.dataset.fanoutUploadStart = String(Date.now());
const pct = pctText ? parseInt(/(\d{1,3})\s*%%/.exec(pctText)[1], 10) : -1;
if (pct >= 0 && pct < 100) form.dataset.fanoutUploadSeen = '1';
const seen = form.dataset.fanoutUploadSeen === '1';
const quiet = Date.now() - Number(form.dataset.fanoutUploadStart) > %d;
const done = !failEl && (pct < 0 || pct >= 100) && (seen || qa(%s).some(vis) || quiet);
const failed = !!fresh(failEl);
if (failed) { delete form.dataset.fanoutUploadSeen; delete form.dataset.fanoutUploadStart; }
return {done: done, failed: failed, progress: pctText, login: isLogin()};
})()`, browser.JS(textUploadFail), noPercentAfterMS, browser.JS(selAutoCover))

// waitUpload waits for the upload, reporting the percentage the page
// shows and choosing the video again each time it shows 上传失败, up to
// Config.UploadRetries times.
func (d *Driver) waitUpload(ctx context.Context, r *flow.Run) error {
	return page.WaitUpload(ctx, d.to.Upload, d.retries, flow.Upload{
		What: "the upload percentage gone", Probe: uploadProbe, Percent: percentRE, Failure: textUploadFail,
		Retry: func(ctx context.Context) error {
			return browser.SetFiles(ctx, d.to.Element, "upload.retry", r.FileInput, r.Req.VideoPath)
		},
	}, r.Report)
}
