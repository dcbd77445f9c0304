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

// step is one step of a publish and the progress it reports once done.
type step struct {
	run    func(context.Context, *flow.Run) error
	report platform.Step
	pct    int
}

// Publish implements platform.Driver. It is flow's publish sequence (Page.
// Publish) with one difference: the video is chosen in the file chooser the
// upload button opens, since the page has no file input to set before the
// click, where flow sets a file input's files.
func (d *Driver) Publish(ctx context.Context, req platform.PublishRequest, onProgress func(platform.Progress) error) (platform.PublishResult, error) {
	var res platform.PublishResult
	now := time.Now()
	if err := page.Validate(req, now, rules); err != nil {
		return res, err
	}
	// What the platform cannot do (drafts) is refused before the page is
	// touched, as flow.Publish does.
	if rs := platform.CapabilitiesOf(d.Name()).Refusals(req, now); len(rs) > 0 {
		return res, page.Invalid("%s: %s", rs[0].Field, rs[0].Reason)
	}
	r := &flow.Run{Req: req, Report: func(s platform.Step, pct int) error {
		if err := onProgress(platform.Progress{Step: s, Percent: pct}); err != nil {
			return page.Errorf("publish: progress: %w", err)
		}
		return nil
	}}
	for _, s := range []step{
		{d.open, platform.StepOpened, 0},
		{d.chooseVideo, platform.StepUploading, 0},
		{d.fillCaption, "", 0},
		{d.waitUpload, platform.StepUploaded, 100},
		{d.fillOptions, platform.StepFilled, 0},
	} {
		if err := s.run(ctx, r); err != nil {
			return res, err
		}
		if s.report == "" {
			continue
		}
		if err := r.Report(s.report, s.pct); err != nil {
			return res, err
		}
	}
	if err := r.Report(platform.StepSubmitted, 0); err != nil {
		return res, err
	}
	url, err := d.submit(ctx)
	if err != nil {
		return res, err
	}
	res.URL = url
	return res, r.Report(platform.StepPublished, 0)
}

// open opens the upload page; a redirect to the passport is
// platform.ErrLoginRequired.
func (d *Driver) open(ctx context.Context, _ *flow.Run) error {
	_, err := page.OpenUpload(ctx, d.to, d.uploadPage())
	return err
}

// chooseVideo clicks the upload button and picks the video in the file
// chooser it opens (K:629-635), waits for the form and closes what covers
// it. An image note first switches to the 图文 tab and picks its images
// with the 上传图片 button (see openNoteTab).
func (d *Driver) chooseVideo(ctx context.Context, r *flow.Run) error {
	button := fmt.Sprintf(`qa(%s).find(vis) || null`, browser.JS(selUploadButton))
	if len(r.Req.ImagePaths) > 0 {
		var err error
		if button, err = d.openNoteTab(ctx); err != nil {
			return err
		}
	}
	click := func(ctx context.Context) error { return page.Click(ctx, "upload.file", selUploadButton, button) }
	if err := browser.ChooseFiles(ctx, d.to.Element, "upload.file", selUploadButton, click, r.Req.Media()...); err != nil {
		return page.StepErr(ctx, "choose "+r.Req.MediaName(), err)
	}
	if err := d.findEditor(ctx); err != nil {
		return err
	}
	if err := d.dismiss(ctx); err != nil {
		return page.StepErr(ctx, "close notices", err)
	}
	return nil
}

// findEditor waits for the caption editor, anchored on the text 描述 like the
// reference uploader (the editor has no stable class), and marks it
// data-fanout-editor. The strategies, in order: the anchor's next sibling
// (or the editable inside it), then the first editable after the anchor.
func (d *Driver) findEditor(ctx context.Context) error {
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

// dismissMax bounds the closes in one dismiss: a tour of a few steps and
// the notice.
const dismissMax = 6

// dismiss closes what the site lays over a fresh form with the clicks a
// person makes — the notice's 我知道了, the tour's skip (see covering) —
// waiting for each to go. Nothing covering the form is nothing to do.
func (d *Driver) dismiss(ctx context.Context) error {
	target := `(b => { qa('[data-fanout-closing]').forEach(e => e.removeAttribute('data-fanout-closing'));
if (b) b.setAttribute('data-fanout-closing', '1'); return b; })(` + covering + `)`
	gone := `!(b => b && vis(b))(q('[data-fanout-closing]'))`
	what := textGotIt + " / " + selGuideSkip
	for range dismissMax {
		found, err := evalJS[bool](ctx, `!!`+covering)
		if err != nil || !found {
			return err
		}
		if err := page.Click(ctx, "guide.close", what, target); err != nil {
			return err
		}
		if err := page.Wait(ctx, d.to.Element, "guide.close", what, gone); err != nil {
			return err
		}
	}
	return nil
}

// fillCaption types the caption as the reference uploader does (K:652-661):
// the title on the first line, the description on the next, then the first
// three tags on the last, each made a topic (see topic).
func (d *Driver) fillCaption(ctx context.Context, r *flow.Run) error {
	req := r.Req
	if err := browser.Fill(ctx, "fill.caption", `[data-fanout-editor]`, Title(req.Title)); err != nil {
		return page.StepErr(ctx, "fill caption", err)
	}
	var lines []func() error
	if desc := strings.TrimSpace(req.Description); desc != "" {
		lines = append(lines, func() error { return browser.InsertText(ctx, desc) })
	}
	if tags := Tags(req.Tags); len(tags) > 0 {
		lines = append(lines, func() error {
			for _, t := range tags {
				if err := d.topic(ctx, t); err != nil {
					return err
				}
			}
			return nil
		})
	}
	for _, line := range lines {
		if err := browser.Press(ctx, browser.KeyEnter); err != nil {
			return page.StepErr(ctx, "fill caption", err)
		}
		if err := line(); err != nil {
			return page.StepErr(ctx, "fill caption", err)
		}
	}
	return nil
}

// topic types #tag and makes it a topic the way a person does on this site:
// it waits for the site's topic suggestions, picks with a space, and waits
// for the topic to form before the next one (the reference uploader pauses
// instead, K:652-661). A tag the site makes no topic of within topicWait
// stays text, with a warning: the post goes on without that topic.
func (d *Driver) topic(ctx context.Context, tag string) error {
	wait := min(d.to.Element, topicWait)
	count := fmt.Sprintf(`qa(%s, q('[data-fanout-editor]') || document).length`, browser.JS(selTopic))
	before, err := evalJS[int](ctx, count)
	if err != nil {
		return err
	}
	if err := browser.InsertText(ctx, "#"+tag); err != nil {
		return err
	}
	failed := page.Wait(ctx, wait, "caption.topic", selTopicSuggestion, fmt.Sprintf(`qa(%s).some(vis)`, browser.JS(selTopicSuggestion)))
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err := browser.Press(ctx, browser.KeySpace); err != nil {
		return err
	}
	if failed == nil {
		failed = page.Wait(ctx, wait, "caption.topic", selTopic, fmt.Sprintf(`%s > %d`, count, before))
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if failed != nil {
		platform.Warn(ctx, "topic", fmt.Sprintf("#%s stayed text: %v", tag, failed))
	}
	return nil
}

var percentRE = regexp.MustCompile(textUploading + `\D*(\d{1,3})\s*%`)

// waitUpload waits until the page no longer shows 上传中 or 上传失败 (the
// reference uploader's test), reporting the percentage the page shows. Each
// time it shows 上传失败 it clicks what holds the failed upload's file input
// and picks the video again in the chooser that opens, up to
// Config.UploadRetries times.
func (d *Driver) waitUpload(ctx context.Context, r *flow.Run) error {
	probe := fmt.Sprintf(`(() => { clear();
const failEl = findText(%s, false);
const uploading = !!findText(%s, false);
const p = document.querySelector(%s);
return {done: !uploading && !failEl && !!document.querySelector('[data-fanout-editor]'), failed: !!fresh(failEl),
  progress: p ? (p.innerText || '') : '', login: isLogin()};
})()`, browser.JS(textFailed), browser.JS(textUploading), browser.JS(selProgress))
	holder := fmt.Sprintf(`(i => i ? i.parentElement : null)(qa(%s).pop() || null)`, browser.JS(selReupload))
	return page.WaitUpload(ctx, d.to.Upload, d.retries, flow.Upload{
		What: "no text " + textUploading, Probe: probe, Percent: percentRE, Failure: textFailed,
		Retry: func(ctx context.Context) error {
			click := func(ctx context.Context) error { return page.Click(ctx, "upload.retry", selReupload, holder) }
			return browser.ChooseFiles(ctx, d.to.Element, "upload.retry", selReupload, click, r.Req.Media()...)
		},
	}, r.Report)
}

// errorToast tells the site's error messages from its success and info
// ones by antd's type class, then as flow does.
var errorToast = fmt.Sprintf(`(el.querySelector(%s) ? false : el.querySelector(%s) ? true : %s)`,
	browser.JS(selToastOK), browser.JS(selToastError), flow.DefaultErrorToast)

// submit closes what covers the form, clicks 发布 (then 确认发布 when the site
// asks) and waits for the manage page. A new error message means the
// platform refused the post; the login page means the session expired.
func (d *Driver) submit(ctx context.Context) (string, error) {
	if err := d.dismiss(ctx); err != nil {
		return "", page.StepErr(ctx, "publish", err)
	}
	return page.Submit(ctx, d.to.Publish, flow.Submit{Step: "publish", Toasts: selToast, ErrorToast: errorToast,
		Mark: pathManage, Click: d.clickPublish})
}

// confirmState is what the page shows after the click on 发布.
type confirmState struct {
	Confirm  bool `json:"confirm"`
	Answered bool `json:"answered"`
}

// clickPublish clicks 发布 and, when the site then asks (a scheduled post),
// 确认发布 (K:694-705). It waits for the question or the site's answer (the
// manage page, a new message, the login page) at most Timeouts.Element;
// Submit's wait reads the answer.
func (d *Driver) clickPublish(ctx context.Context) error {
	publish := fmt.Sprintf(`(el => el && (el.closest('button') || el))(findText(%s, true))`, browser.JS(textPublish))
	if err := page.Click(ctx, "publish.click", `text="发布"`, publish); err != nil {
		return err
	}
	confirm := fmt.Sprintf(`(el => el && (el.closest('button') || el))(findText(%s, true))`, browser.JS(textConfirm))
	probe := fmt.Sprintf(`({confirm: !!(%s), answered: location.href.includes(%s) || isLogin() ||
  qa(%s).some(el => vis(el) && !el.hasAttribute('data-fanout-seen'))})`, confirm, browser.JS(pathManage), browser.JS(selToast))
	var st confirmState
	err := browser.Until(ctx, d.to.Element, "publish.confirm", textConfirm, func(ctx context.Context) (bool, error) {
		var err error
		st, err = evalJS[confirmState](ctx, probe)
		return err == nil && (st.Confirm || st.Answered), err
	})
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case err != nil || !st.Confirm:
		return nil
	}
	return page.Click(ctx, "publish.confirm", textConfirm, confirm)
}
