package kuaishou

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

// rules are what the site refuses before the page is touched: a 定时发布
// more than 14 days ahead.
var rules = flow.Rules{MaxScheduleLead: 14 * 24 * time.Hour}

// Title returns the title as the site shows it: the first line of the
// caption, with runs of white space collapsed. FindPublished looks for this
// form.
func Title(title string) string { return strings.Join(strings.Fields(title), " ") }

// Tags returns the tags the driver types: without '#' or spaces, no
// empties, only the first 3 (the site keeps no more).
func Tags(tags []string) []string { return flow.Tags(tags, maxTags) }

// Publish implements platform.Driver with flow's publish sequence.
func (d *Driver) Publish(ctx context.Context, req platform.PublishRequest, onProgress func(platform.Progress) error) (platform.PublishResult, error) {
	return page.Publish(ctx, d.to, req, onProgress, flow.Steps{Rules: rules, Landing: d.uploadPage(), Form: d.findEditor,
		Fill: d.fillCaption, Upload: d.waitUpload, Options: d.fillOptions, Submit: d.submit})
}

// findEditor waits for the caption editor, anchored on the text 描述 like the
// reference uploader (the editor has no stable class), and marks it
// data-fanout-editor. The strategies, in order: the anchor's next sibling
// (or the editable inside it), then the first editable after the anchor.
func (d *Driver) findEditor(ctx context.Context, _ *flow.Run) error {
	mark := fmt.Sprintf(`(() => { clear();
const a = findText(%s, false); if (!a) return false;
const editable = el => el && (el.matches(%[2]s) ? el : el.querySelector(%[2]s));
let ed = null;
for (let p = a; p && !ed && p !== document.body; p = p.parentElement) ed = editable(p.nextElementSibling);
if (!ed) ed = Array.from(document.querySelectorAll(%[2]s)).find(el => a.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
if (!ed || !vis(ed)) return false;
ed.setAttribute('data-fanout-editor', '1'); return true; })()`, browser.JS(textDescription), browser.JS(selEditable))
	if err := page.Wait(ctx, d.to.Form, "form.description", "text="+textDescription+" >> "+selEditable, mark); err != nil {
		return page.StepErr(ctx, "open publish form", err)
	}
	return nil
}

// fillCaption types the caption: the title on the first line, the
// description on the next, then the first three #tags, each ended by a space
// so the editor turns it into a topic.
func (d *Driver) fillCaption(ctx context.Context, r *flow.Run) error {
	req := r.Req
	const ed = `[data-fanout-editor]`
	if _, err := evalJS[bool](ctx, `(clear(), true)`); err != nil {
		return page.StepErr(ctx, "fill caption", err)
	}
	if err := browser.Fill(ctx, "fill.caption", ed, Title(req.Title)); err != nil {
		return page.StepErr(ctx, "fill caption", err)
	}
	lines := []string{strings.TrimSpace(req.Description)}
	if tags := Tags(req.Tags); len(tags) > 0 {
		lines = append(lines, "#"+strings.Join(tags, " #")+" ")
	}
	for _, line := range lines {
		if line == "" {
			continue
		}
		if err := browser.Press(ctx, browser.KeyEnter); err != nil {
			return page.StepErr(ctx, "fill caption", err)
		}
		if err := browser.InsertText(ctx, line); err != nil {
			return page.StepErr(ctx, "fill caption", err)
		}
	}
	return nil
}

var percentRE = regexp.MustCompile(textUploading + `\D*(\d{1,3})\s*%`)

// waitUpload waits until the page no longer shows 上传中 or 上传失败 (the
// reference uploader's test), reporting the percentage the page shows and
// re-choosing the file each time it shows 上传失败, up to
// Config.UploadRetries times. Onboarding pop-ups are closed on the way.
func (d *Driver) waitUpload(ctx context.Context, r *flow.Run) error {
	probe := fmt.Sprintf(`(() => { clear();
const failEl = findText(%s, false);
const uploading = !!findText(%s, false);
const p = document.querySelector(%s);
return {done: !uploading && !failEl && !!document.querySelector('[data-fanout-editor]'), failed: !!fresh(failEl),
  progress: p ? (p.innerText || '') : '', login: isLogin()};
})()`, browser.JS(textFailed), browser.JS(textUploading), browser.JS(selProgress))
	return page.WaitUpload(ctx, d.to.Upload, d.retries, flow.Upload{
		What: "no text " + textUploading, Probe: probe, Percent: percentRE, Failure: textFailed,
		Retry: func(ctx context.Context) error {
			return browser.SetFiles(ctx, d.to.Element, "upload.retry", selReupload, r.Req.VideoPath)
		},
	}, r.Report)
}

// submit clicks 发布, confirms 确认发布 when the site asks, and waits for the
// manage page. A new error message means the platform refused the post; the
// login page means the session expired.
func (d *Driver) submit(ctx context.Context, _ *flow.Run) (string, error) {
	return page.Submit(ctx, d.to.Publish, flow.Submit{Step: "publish", Toasts: selToast, Mark: pathManage,
		Click: func(ctx context.Context) error {
			return page.Click(ctx, "publish.click", `text="发布"`,
				fmt.Sprintf(`(el => el && (el.closest('button') || el))(findText(%s, true))`, browser.JS(textPublish)))
		},
		EachPoll: fmt.Sprintf(`const c = findText(%s, false);
if (c) { const b = c.closest('button') || c; if (!b.hasAttribute('data-fanout-clicked')) { b.setAttribute('data-fanout-clicked', '1'); b.click(); } }`,
			browser.JS(textConfirm)),
	})
}
