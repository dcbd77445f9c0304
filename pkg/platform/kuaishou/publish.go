package kuaishou

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
)

// minScheduleLead and maxScheduleLead are the window Fanout accepts for
// 定时发布: the reference uploader's two hours, and the site's 14 days.
const (
	minScheduleLead = 2 * time.Hour
	maxScheduleLead = 14 * 24 * time.Hour
)

// validate checks req against the platform's rules before the page is
// touched, so a request that can never succeed fails fast and permanently.
func validate(req platform.PublishRequest, now time.Time) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("kuaishou: %s: %w", fmt.Sprintf(format, args...), platform.ErrInvalidRequest)
	}
	if req.VideoPath == "" {
		return bad("no video file")
	}
	if _, err := os.Stat(req.VideoPath); err != nil {
		return bad("video file: %v", err)
	}
	if req.CoverPath != "" {
		if _, err := os.Stat(req.CoverPath); err != nil {
			return bad("cover file: %v", err)
		}
	}
	if Title(req.Title) == "" {
		return bad("empty title")
	}
	if !req.ScheduleAt.IsZero() {
		if req.ScheduleAt.Before(now.Add(minScheduleLead)) {
			return bad("schedule %s is less than %s ahead", req.ScheduleAt.Format(time.RFC3339), minScheduleLead)
		}
		if req.ScheduleAt.After(now.Add(maxScheduleLead)) {
			return bad("schedule %s is more than 14 days ahead", req.ScheduleAt.Format(time.RFC3339))
		}
	}
	return nil
}

// Title returns the title as the site shows it: the first line of the
// caption, with runs of white space collapsed. FindPublished looks for this
// form.
func Title(title string) string { return strings.Join(strings.Fields(title), " ") }

// Tags returns the tags the driver types: without '#' or spaces, no
// empties, only the first 3 (the site keeps no more).
func Tags(tags []string) []string {
	var out []string
	for _, t := range tags {
		t = strings.Join(strings.Fields(strings.TrimLeft(strings.TrimSpace(t), "#＃")), "")
		if t != "" && len(out) < maxTags {
			out = append(out, t)
		}
	}
	return out
}

// Publish implements platform.Driver.
func (d *Driver) Publish(ctx context.Context, req platform.PublishRequest, onProgress func(platform.Progress) error) (platform.PublishResult, error) {
	var res platform.PublishResult
	if err := validate(req, time.Now()); err != nil {
		return res, err
	}
	report := func(step platform.Step, pct int) error {
		if err := onProgress(platform.Progress{Step: step, Percent: pct}); err != nil {
			return fmt.Errorf("kuaishou: publish: progress: %w", err)
		}
		return nil
	}
	if err := d.openUpload(ctx); err != nil {
		return res, err
	}
	if err := report(platform.StepOpened, 0); err != nil {
		return res, err
	}
	if err := browser.SetFiles(ctx, d.to.Element, "upload.file", `[data-fanout-file]`, req.VideoPath); err != nil {
		return res, d.stepErr(ctx, "choose video", err)
	}
	if err := d.findEditor(ctx); err != nil {
		return res, d.stepErr(ctx, "open publish form", err)
	}
	if err := report(platform.StepUploading, 0); err != nil {
		return res, err
	}
	// The form is usable while the video uploads: fill the caption first.
	if err := d.fillCaption(ctx, req); err != nil {
		return res, err
	}
	if err := d.waitUpload(ctx, req.VideoPath, report); err != nil {
		return res, err
	}
	if err := report(platform.StepUploaded, 100); err != nil {
		return res, err
	}
	if err := d.fillOptions(ctx, req); err != nil {
		return res, err
	}
	if err := report(platform.StepFilled, 0); err != nil {
		return res, err
	}
	if err := report(platform.StepSubmitted, 0); err != nil {
		return res, err
	}
	url, err := d.submit(ctx)
	if err != nil {
		return res, err
	}
	res.URL = url
	if err := report(platform.StepPublished, 0); err != nil {
		return res, err
	}
	return res, nil
}

// openUpload opens the upload page and marks the file input behind its
// upload button; a redirect to the passport login is ErrLoginRequired.
func (d *Driver) openUpload(ctx context.Context) error {
	if err := browser.Navigate(ctx, d.to.Page, "upload.open", d.base+pathUpload); err != nil {
		return fmt.Errorf("kuaishou: open upload page: %w", err)
	}
	var st openState
	err := browser.Until(ctx, d.to.Element, "upload.open", selUploadButton, func(ctx context.Context) (bool, error) {
		var err error
		st, err = d.probeOpen(ctx)
		return err == nil && (st.Upload || (st.Ready && st.Login)), err
	})
	if err != nil {
		return d.stepErr(ctx, "open upload page", err)
	}
	if !st.Upload {
		return fmt.Errorf("kuaishou: open upload page: redirected to %s: %w", st.URL, platform.ErrLoginRequired)
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
	return d.wait(ctx, d.to.Form, "form.description", "text="+textDescription+" >> "+selEditable, mark)
}

// fillCaption types the caption: the title on the first line, the
// description on the next, then the first three #tags, each ended by a space
// so the editor turns it into a topic.
func (d *Driver) fillCaption(ctx context.Context, req platform.PublishRequest) error {
	const ed = `[data-fanout-editor]`
	if _, err := evalJS[bool](ctx, `(clear(), true)`); err != nil {
		return d.stepErr(ctx, "fill caption", err)
	}
	if err := browser.Fill(ctx, "fill.caption", ed, Title(req.Title)); err != nil {
		return d.stepErr(ctx, "fill caption", err)
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
			return d.stepErr(ctx, "fill caption", err)
		}
		if err := browser.InsertText(ctx, line); err != nil {
			return d.stepErr(ctx, "fill caption", err)
		}
	}
	return nil
}

var percentRE = regexp.MustCompile(textUploading + `\D*(\d{1,3})\s*%`)

type uploadState struct {
	Done      bool   `json:"done"`
	Failed    bool   `json:"failed"`
	Uploading bool   `json:"uploading"`
	Progress  string `json:"progress"`
	Login     bool   `json:"login"`
}

// waitUpload waits until the page no longer shows 上传中 or 上传失败 (the
// reference uploader's test), reporting the percentage the page shows and
// re-choosing the file each time it shows 上传失败, up to
// Config.UploadRetries times. Onboarding pop-ups are closed on the way.
func (d *Driver) waitUpload(ctx context.Context, video string, report func(platform.Step, int) error) error {
	probe := fmt.Sprintf(`(() => { clear();
const failEl = findText(%s, false);
const fresh = failEl && !failEl.hasAttribute('data-fanout-seen');
if (fresh) failEl.setAttribute('data-fanout-seen', '1');
const uploading = !!findText(%s, false);
const p = document.querySelector(%s);
return {done: !uploading && !failEl && !!document.querySelector('[data-fanout-editor]'), failed: !!fresh,
  uploading: uploading, progress: p ? (p.innerText || '') : '', login: isLogin()};
})()`, browser.JS(textFailed), browser.JS(textUploading), browser.JS(selProgress))
	var (
		stop    error
		retries int
		last    = -1
	)
	err := browser.Until(ctx, d.to.Upload, "upload.wait", "no text "+textUploading, func(ctx context.Context) (bool, error) {
		st, err := evalJS[uploadState](ctx, probe)
		switch {
		case err != nil:
			return false, err
		case st.Login:
			stop = fmt.Errorf("kuaishou: upload: redirected to the login page: %w", platform.ErrLoginRequired)
			return true, nil
		case st.Done:
			return true, nil
		case st.Failed:
			if retries >= d.retries {
				stop = fmt.Errorf("kuaishou: upload: %s after %d retries: %w", textFailed, retries, platform.ErrUploadFailed)
				return true, nil
			}
			retries++
			if err := browser.SetFiles(ctx, d.to.Element, "upload.retry", selReupload, video); err != nil {
				stop = d.stepErr(ctx, "retry upload", err)
				return true, nil
			}
			return false, nil
		}
		if m := percentRE.FindStringSubmatch(st.Progress); m != nil {
			if pct, _ := strconv.Atoi(m[1]); pct != last && pct <= 100 {
				last = pct
				if err := report(platform.StepUploading, pct); err != nil {
					stop = err
					return true, nil
				}
			}
		}
		return false, nil
	})
	if stop != nil {
		return stop
	}
	if err != nil {
		return d.stepErr(ctx, "upload", err)
	}
	return nil
}

type submitState struct {
	URL     string `json:"url"`
	Toast   string `json:"toast"`
	Login   bool   `json:"login"`
	Confirm bool   `json:"confirm"`
}

// submit clicks 发布, confirms 确认发布 when the site asks, and waits for the
// manage page. A new error message means the platform refused the post; the
// login page means the session expired.
func (d *Driver) submit(ctx context.Context) (string, error) {
	// Messages already on screen belong to earlier steps.
	if _, err := evalJS[bool](ctx, fmt.Sprintf(`(document.querySelectorAll(%s).forEach(el => el.setAttribute('data-fanout-seen', '1')), true)`, browser.JS(selToast))); err != nil {
		return "", d.stepErr(ctx, "publish", err)
	}
	publish := fmt.Sprintf(`(el => el && (el.closest('button') || el))(findText(%s, true))`, browser.JS(textPublish))
	if err := clickJS(ctx, "publish.click", `text="发布"`, publish); err != nil {
		return "", d.stepErr(ctx, "publish", err)
	}
	probe := fmt.Sprintf(`(() => {
const c = findText(%s, false);
if (c) { const b = c.closest('button') || c; if (!b.hasAttribute('data-fanout-clicked')) { b.setAttribute('data-fanout-clicked', '1'); b.click(); } }
return {url: location.href, login: isLogin(), confirm: !!c,
  toast: Array.from(document.querySelectorAll(%s)).filter(el => vis(el) && !el.hasAttribute('data-fanout-seen')).map(el => el.innerText.trim()).join('; ')};
})()`, browser.JS(textConfirm), browser.JS(selToast))
	var st submitState
	err := browser.Until(ctx, d.to.Publish, "publish.confirm", "url~"+pathManage, func(ctx context.Context) (bool, error) {
		var err error
		st, err = evalJS[submitState](ctx, probe)
		if err != nil {
			return false, err
		}
		return strings.Contains(st.URL, pathManage) || st.Toast != "" || st.Login, nil
	})
	switch {
	case err != nil:
		return "", d.stepErr(ctx, "publish", err)
	case strings.Contains(st.URL, pathManage):
		return st.URL, nil
	case st.Toast != "":
		return "", fmt.Errorf("kuaishou: publish: %s: %w", st.Toast, platform.ErrRejected)
	}
	return "", fmt.Errorf("kuaishou: publish: redirected to the login page: %w", platform.ErrLoginRequired)
}

// wait polls the JavaScript condition cond (jsLib in scope) until it is true.
func (d *Driver) wait(ctx context.Context, timeout time.Duration, step, what, cond string) error {
	return browser.Until(ctx, timeout, step, what, func(ctx context.Context) (bool, error) {
		return evalJS[bool](ctx, "!!("+cond+")")
	})
}

// waitClick waits for the element that elem (a JavaScript expression that
// yields an element or null) finds, then clicks it.
func (d *Driver) waitClick(ctx context.Context, step, what, elem string) error {
	if err := d.wait(ctx, d.to.Element, step, what, elem); err != nil {
		return err
	}
	return clickJS(ctx, step, what, elem)
}
