package douyin

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
)

// rules are what the platform refuses before the page is touched, so a
// request that can never succeed fails fast and permanently.
var rules = flow.Rules{
	MaxScheduleLead: 14 * 24 * time.Hour, // how far ahead 定时发布 may be
	NoDrafts:        "drafts are not supported on Douyin; publish or schedule instead",
}

// Title returns the title as the site will store it: trimmed and cut to 30
// characters. FindPublished looks for this form.
func Title(title string) string { return flow.Truncate(strings.TrimSpace(title), maxTitle) }

// Tags returns the tags the driver types: without '#' or spaces, no
// empties, at most 5 (the site's limit).
func Tags(tags []string) []string { return flow.Tags(tags, maxTags) }

// Publish implements platform.Driver with flow's publish sequence.
func (d *Driver) Publish(ctx context.Context, req platform.PublishRequest, onProgress func(platform.Progress) error) (platform.PublishResult, error) {
	if len(req.ImagePaths) > 0 {
		return d.publishNote(ctx, req, onProgress)
	}
	return page.Publish(ctx, d.to, req, onProgress, flow.Steps{Rules: rules, Landing: d.uploadPage(), Form: d.waitForm,
		Fill: d.fillText, Upload: d.waitUpload, Options: d.fillOptions, Submit: d.submit})
}

// waitForm waits for the publish form (v2, or v1 on older accounts).
func (d *Driver) waitForm(ctx context.Context, _ *flow.Run) error {
	if err := page.Wait(ctx, d.to.Form, "upload.form", "url~"+pathPublishV2,
		fmt.Sprintf(`location.pathname.startsWith(%s) || location.pathname.startsWith(%s)`, browser.JS(pathPublishV2), browser.JS(pathPublishV1))); err != nil {
		return page.StepErr(ctx, "open publish form", err)
	}
	return nil
}

// fillText types the title (a note's on its form) and the description with
// its #tags.
func (d *Driver) fillText(ctx context.Context, r *flow.Run) error {
	req := r.Req
	sel := selTitle
	if len(req.ImagePaths) > 0 {
		sel = selNoteTitle
	}
	if err := browser.WaitVisible(ctx, d.to.Form, "fill.title", sel); err != nil {
		return page.StepErr(ctx, "fill title", err)
	}
	if err := browser.Fill(ctx, "fill.title", sel, title(req)); err != nil {
		return page.StepErr(ctx, "fill title", err)
	}
	if err := browser.WaitVisible(ctx, d.to.Element, "fill.description", selDescription); err != nil {
		return page.StepErr(ctx, "fill description", err)
	}
	desc := strings.TrimSpace(req.Description)
	tags := Tags(req.Tags)
	if err := browser.Fill(ctx, "fill.description", selDescription, desc); err != nil {
		return page.StepErr(ctx, "fill description", err)
	}
	// Each tag is typed as " #tag" and a space, which makes the site turn it
	// into a topic; Escape closes the topic suggestions afterwards.
	for _, t := range tags {
		if err := browser.InsertText(ctx, " #"+t); err != nil {
			return page.StepErr(ctx, "type tags", err)
		}
		if err := browser.Press(ctx, browser.KeySpace); err != nil {
			return page.StepErr(ctx, "type tags", err)
		}
	}
	if len(tags) > 0 {
		if err := browser.Press(ctx, browser.KeyEscape); err != nil {
			return page.StepErr(ctx, "type tags", err)
		}
	}
	return nil
}

var percentRE = regexp.MustCompile(textUploading + `\D*(\d{1,3})\s*%`)

// waitUpload waits for 重新上传 (the upload and processing are done),
// reporting the percentage the page shows and re-choosing the file each time
// the page shows 上传失败, up to Config.UploadRetries times.
func (d *Driver) waitUpload(ctx context.Context, r *flow.Run) error {
	probe := fmt.Sprintf(`(() => {
const p = document.querySelector(%s);
return {done: !!findIn(%s, %s, false), failed: !!fresh(findIn(%s, %s, false)),
  progress: p ? (p.innerText || '') : '', login: isLogin()};
})()`, browser.JS(selProgress), browser.JS(selUploadDone), browser.JS(textUploadDone), browser.JS(selUploadFailed), browser.JS(textFailed))
	return page.WaitUpload(ctx, d.to.Upload, d.retries, flow.Upload{
		What: selUploadDone + ":has-text(\"" + textUploadDone + "\")", Probe: probe, Percent: percentRE, Failure: textFailed,
		Retry: func(ctx context.Context) error {
			return browser.SetFiles(ctx, d.to.Element, "upload.retry", selReupload, r.Req.VideoPath)
		},
	}, r.Report)
}
