package weibo

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

// Publish implements platform.Driver. It opens the home, clicks 视频 and
// follows the publish page the click opens in a new window (§3.9 step 1),
// then, in that window: chooses the video in the chooser 上传视频 opens,
// waits for 上传完成, sets the declaration, the title, the cover, the
// collection and the description, and clicks 发布, reporting StepSubmitted
// just before. Success is the layer with 再发一条视频 (within
// Timeouts.Publish). The window is closed after a success; after a failure
// it stays open, the tab's front page, so that the caller's failure
// capture shows it (browser.Front), and closes with the session.
func (d *Driver) Publish(ctx context.Context, req platform.PublishRequest, onProgress func(platform.Progress) error) (platform.PublishResult, error) {
	var res platform.PublishResult
	now := time.Now()
	if err := page.Validate(req, now, flow.Rules{}); err != nil {
		return res, err
	}
	// What the platform cannot do (a schedule, a draft, no cover) is
	// refused before the page is touched, as flow.Publish does.
	if rs := platform.CapabilitiesOf(d.Name()).Refusals(req, now); len(rs) > 0 {
		return res, page.Invalid("%s: %s", rs[0].Field, rs[0].Reason)
	}
	report := func(s platform.Step, pct int) error {
		if err := onProgress(platform.Progress{Step: s, Percent: pct}); err != nil {
			return page.Errorf("publish: progress: %w", err)
		}
		return nil
	}
	win, closeWindow, err := d.openPublisher(ctx)
	if err != nil {
		return res, err
	}
	if res, err = d.publishIn(win, req, report); err != nil {
		return res, err
	}
	closeWindow()
	return res, nil
}

// openPublisher opens the home and follows the publish page its 视频 entry
// opens in a new window, until the window shows 上传视频. A logged-out
// tab (or window) is platform.ErrLoginRequired.
func (d *Driver) openPublisher(ctx context.Context) (context.Context, context.CancelFunc, error) {
	if _, err := page.OpenUpload(ctx, d.to, d.home()); err != nil {
		return nil, nil, err
	}
	what := fmt.Sprintf(`span:has-text(%q) >> popup`, textVideoEntry)
	win, closeWindow, err := browser.FollowPopup(ctx, d.to.Element, "upload.open", what, func(ctx context.Context) error {
		return page.Click(ctx, "upload.open", what, videoEntry)
	})
	if err != nil {
		return nil, nil, page.StepErr(ctx, "open publish page", err)
	}
	st, err := page.Await(win, d.to, "upload.open", flow.Landing{What: fmt.Sprintf(`role=button[name=%q]`, textUploadButton),
		Found: fmt.Sprintf(`%s ? 'button' : ''`, uploadButton)})
	if err != nil {
		return nil, nil, page.StepErr(win, "open publish page", err)
	}
	if st.Found == "" {
		return nil, nil, fmt.Errorf("weibo: open publish page: redirected to %s: %w", st.URL, platform.ErrLoginRequired)
	}
	return win, closeWindow, nil
}

// uploadButton is a JavaScript expression yielding the visible 上传视频
// button.
var uploadButton = fmt.Sprintf(`((el => el && (el.closest('button, [role="button"]') || el))(findText(%s, true)))`, browser.JS(textUploadButton))

// publishIn runs the publish in the publish window win.
func (d *Driver) publishIn(win context.Context, req platform.PublishRequest, report flow.Reporter) (platform.PublishResult, error) {
	var res platform.PublishResult
	if err := report(platform.StepOpened, 0); err != nil {
		return res, err
	}
	if err := d.choose(win, "upload.file", textUploadButton, uploadButton, req.VideoPath); err != nil {
		return res, page.StepErr(win, "choose video", err)
	}
	if err := report(platform.StepUploading, 0); err != nil {
		return res, err
	}
	if err := d.waitUpload(win, req.VideoPath, report); err != nil {
		return res, err
	}
	if err := report(platform.StepUploaded, 100); err != nil {
		return res, err
	}
	if err := d.fillForm(win, req); err != nil {
		return res, err
	}
	for _, s := range []platform.Step{platform.StepFilled, platform.StepSubmitted} {
		if err := report(s, 0); err != nil {
			return res, err
		}
	}
	url, err := d.submit(win)
	if err != nil {
		return res, err
	}
	res.URL = url
	return res, report(platform.StepPublished, 0)
}

// choose clicks the button elem yields and picks path in the file chooser
// it opens, as a person does (the page has no file input before).
func (d *Driver) choose(ctx context.Context, step, what, elem, path string) error {
	click := func(ctx context.Context) error { return page.WaitClick(ctx, d.to.Element, step, what, elem) }
	return browser.ChooseFiles(ctx, d.to.Element, step, what, click, path)
}

var percentRE = regexp.MustCompile(`(\d{1,3})\s*%`)

// uploadProbe reads the upload's state blocks: done once the block with
// the check mark and 上传完成 shows (§3.9 step 3; the three blocks are
// always in the DOM, W:398-409), failed while 上传失败 shows.
var uploadProbe = fmt.Sprintf(`(() => {
const done = qa(%s).some(el => vis(el) && !!findText(%s, true, el));
const up = findText(%s, true), box = up && up.parentElement;
const pct = box ? (q(%s, box) || box).innerText || '' : '';
return {done: done, failed: !done && !!fresh(findText(%s, false)), progress: pct, login: isLogin()};
})()`, browser.JS(selUploadDone), browser.JS(textUploadDone), browser.JS(textUploading), browser.JS(selPercent), browser.JS(textUploadError))

// waitUpload waits until the upload is done, reporting the percentage the
// page shows. Each time it shows 上传失败 (a failure not seen before) it
// clicks 重新上传 and picks the video again in the chooser that opens, up to
// Config.UploadRetries times.
func (d *Driver) waitUpload(ctx context.Context, path string, report flow.Reporter) error {
	reupload := fmt.Sprintf(`((el => el && (el.closest('button') || el))(findText(%s, true)))`, browser.JS(textReupload))
	return page.WaitUpload(ctx, d.to.Upload, d.retries, flow.Upload{
		What: "text=" + textUploadDone, Probe: uploadProbe, Percent: percentRE, Failure: textUploadError,
		Retry: func(ctx context.Context) error {
			return d.choose(ctx, "upload.retry", textReupload, reupload, path)
		},
	}, report)
}

// published is a JavaScript expression, true once the success layer with
// 再发一条视频 shows (§3.9 step 10; its text alone is always in the DOM).
var published = fmt.Sprintf(`qa('button').some(b => vis(b) && !!findText(%s, true, b)) || qa(%s).some(vis)`,
	browser.JS(textPublishMore), browser.JS(selSuccessLayer))

// submit clicks 发布 and waits for the success layer. A new error message
// means the platform refused the post; the login page means the session
// expired.
func (d *Driver) submit(ctx context.Context) (string, error) {
	button := fmt.Sprintf(`qa(%s).find(b => vis(b) && !!findText(%s, true, b)) || null`,
		browser.JS(selPublishBox+" button"), browser.JS(textPublish))
	return page.Submit(ctx, d.to.Publish, flow.Submit{Step: "publish", Toasts: selToast, Confirmed: "(" + published + ") ? location.href : ''",
		Click: func(ctx context.Context) error {
			return page.WaitClick(ctx, d.to.Element, "publish.click", selPublishBox+` button:has(span:text-is("发布"))`, button)
		}})
}

// content is the description box's text: the description, then the tags
// as Weibo's #topic#s on their own line (§3.9 step 9).
func content(req platform.PublishRequest) (desc string, tags []string) {
	return strings.TrimSpace(req.Description), flow.Tags(req.Tags, platform.CapabilitiesOf(platform.Weibo).TagsMax)
}
