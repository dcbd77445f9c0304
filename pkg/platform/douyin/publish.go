package douyin

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
)

// minScheduleLead and maxScheduleLead are the platform's window for 定时发布.
const (
	minScheduleLead = 2 * time.Hour
	maxScheduleLead = 14 * 24 * time.Hour
)

// validate checks req against the platform's rules before the page is
// touched, so a request that can never succeed fails fast and permanently.
func validate(req platform.PublishRequest, now time.Time) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("douyin: %s: %w", fmt.Sprintf(format, args...), platform.ErrInvalidRequest)
	}
	if req.VideoPath == "" {
		return bad("no video file")
	}
	if req.Draft {
		// Publishing publicly when a draft was asked for cannot be undone.
		return bad("drafts are not supported on Douyin; publish or schedule instead")
	}
	if _, err := os.Stat(req.VideoPath); err != nil {
		return bad("video file: %v", err)
	}
	if req.CoverPath != "" {
		if _, err := os.Stat(req.CoverPath); err != nil {
			return bad("cover file: %v", err)
		}
	}
	if strings.TrimSpace(req.Title) == "" {
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

// Title returns the title as the site will store it: trimmed and cut to 30
// characters. FindPublished looks for this form.
func Title(title string) string { return truncate(strings.TrimSpace(title), maxTitle) }

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// Tags returns the tags the driver types: without '#' or spaces, no
// empties, at most 5 (the site's limit).
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
			return fmt.Errorf("douyin: publish: progress: %w", err)
		}
		return nil
	}
	fileInput, err := d.openUpload(ctx)
	if err != nil {
		return res, err
	}
	if err := report(platform.StepOpened, 0); err != nil {
		return res, err
	}
	if err := browser.SetFiles(ctx, d.to.Element, "upload.file", fileInput, req.VideoPath); err != nil {
		return res, d.stepErr(ctx, "choose video", err)
	}
	if err := d.wait(ctx, d.to.Form, "upload.form", "url~"+pathPublishV2,
		fmt.Sprintf(`location.pathname.startsWith(%s) || location.pathname.startsWith(%s)`, browser.JS(pathPublishV2), browser.JS(pathPublishV1))); err != nil {
		return res, d.stepErr(ctx, "open publish form", err)
	}
	if err := report(platform.StepUploading, 0); err != nil {
		return res, err
	}
	// The form is usable while the video uploads: fill the text first.
	if err := d.fillText(ctx, req); err != nil {
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

// openUpload opens the upload page and returns the selector of its file
// input; a redirect to the login page is ErrLoginRequired.
func (d *Driver) openUpload(ctx context.Context) (string, error) {
	if err := browser.Navigate(ctx, d.to.Page, "upload.open", d.base+pathUpload); err != nil {
		return "", fmt.Errorf("douyin: open upload page: %w", err)
	}
	var st openState
	err := browser.Until(ctx, d.to.Element, "upload.open", fileInputSelectors[0], func(ctx context.Context) (bool, error) {
		var err error
		st, err = d.probeOpen(ctx)
		return err == nil && (st.FileInput != "" || (st.Ready && (st.Login || !strings.Contains(st.URL, markUpload)))), err
	})
	if err != nil {
		return "", d.stepErr(ctx, "open upload page", err)
	}
	if st.FileInput == "" {
		return "", fmt.Errorf("douyin: open upload page: redirected to %s: %w", st.URL, platform.ErrLoginRequired)
	}
	return st.FileInput, nil
}

// fillText types the title and the description with its #tags.
func (d *Driver) fillText(ctx context.Context, req platform.PublishRequest) error {
	if err := browser.WaitVisible(ctx, d.to.Form, "fill.title", selTitle); err != nil {
		return d.stepErr(ctx, "fill title", err)
	}
	if err := browser.Fill(ctx, "fill.title", selTitle, Title(req.Title)); err != nil {
		return d.stepErr(ctx, "fill title", err)
	}
	if err := browser.WaitVisible(ctx, d.to.Element, "fill.description", selDescription); err != nil {
		return d.stepErr(ctx, "fill description", err)
	}
	desc := strings.TrimSpace(req.Description)
	tags := Tags(req.Tags)
	if err := browser.Fill(ctx, "fill.description", selDescription, desc); err != nil {
		return d.stepErr(ctx, "fill description", err)
	}
	// Each tag is typed as " #tag" and a space, which makes the site turn it
	// into a topic; Escape closes the topic suggestions afterwards.
	for _, t := range tags {
		if err := browser.InsertText(ctx, " #"+t); err != nil {
			return d.stepErr(ctx, "type tags", err)
		}
		if err := browser.Press(ctx, browser.KeySpace); err != nil {
			return d.stepErr(ctx, "type tags", err)
		}
	}
	if len(tags) > 0 {
		if err := browser.Press(ctx, browser.KeyEscape); err != nil {
			return d.stepErr(ctx, "type tags", err)
		}
	}
	return nil
}

var percentRE = regexp.MustCompile(textUploading + `\D*(\d{1,3})\s*%`)

type uploadState struct {
	Done     bool   `json:"done"`
	Failed   bool   `json:"failed"`
	Progress string `json:"progress"`
	Login    bool   `json:"login"`
}

// waitUpload waits for 重新上传 (the upload and processing are done),
// reporting the percentage the page shows and re-choosing the file each time
// the page shows 上传失败, up to Config.UploadRetries times.
func (d *Driver) waitUpload(ctx context.Context, video string, report func(platform.Step, int) error) error {
	probe := fmt.Sprintf(`(() => {
const failed = findIn(%s, %s, false);
const fresh = failed && !failed.hasAttribute('data-fanout-seen');
if (fresh) failed.setAttribute('data-fanout-seen', '1');
const p = document.querySelector(%s);
return {done: !!findIn(%s, %s, false), failed: !!fresh, progress: p ? (p.innerText || '') : '', login: isLogin()};
})()`, browser.JS(selUploadFailed), browser.JS(textFailed), browser.JS(selProgress), browser.JS(selUploadDone), browser.JS(textUploadDone))
	var (
		stop    error
		retries int
		last    = -1
	)
	err := browser.Until(ctx, d.to.Upload, "upload.wait", selUploadDone+":has-text(\""+textUploadDone+"\")", func(ctx context.Context) (bool, error) {
		st, err := evalJS[uploadState](ctx, probe)
		switch {
		case err != nil:
			return false, err
		case st.Done:
			return true, nil
		case st.Login:
			stop = fmt.Errorf("douyin: upload: redirected to the login page: %w", platform.ErrLoginRequired)
			return true, nil
		case st.Failed:
			if retries >= d.retries {
				stop = fmt.Errorf("douyin: upload: %s after %d retries: %w", textFailed, retries, platform.ErrUploadFailed)
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
	URL   string `json:"url"`
	Toast string `json:"toast"`
	Login bool   `json:"login"`
}

// submit clicks 发布 and waits for the manage page. A new error toast means
// the platform refused the post; the login page means the session expired.
func (d *Driver) submit(ctx context.Context) (string, error) {
	// Toasts already on screen belong to earlier steps.
	if _, err := evalJS[bool](ctx, fmt.Sprintf(`(document.querySelectorAll(%s).forEach(el => el.setAttribute('data-fanout-seen', '1')), true)`, browser.JS(selToast))); err != nil {
		return "", d.stepErr(ctx, "publish", err)
	}
	if err := clickJS(ctx, "publish.click", `button:text-is("发布")`, fmt.Sprintf(`findIn(%s, %s, true)`, browser.JS(selPublish), browser.JS(textPublish))); err != nil {
		return "", d.stepErr(ctx, "publish", err)
	}
	probe := fmt.Sprintf(`({url: location.href, login: isLogin(),
toast: Array.from(document.querySelectorAll(%s)).filter(el => vis(el) && !el.hasAttribute('data-fanout-seen')).map(el => el.innerText.trim()).join('; ')})`, browser.JS(selToast))
	var st submitState
	err := browser.Until(ctx, d.to.Publish, "publish.confirm", "url~"+markManage, func(ctx context.Context) (bool, error) {
		var err error
		st, err = evalJS[submitState](ctx, probe)
		if err != nil {
			return false, err
		}
		return strings.Contains(st.URL, markManage) || st.Toast != "" || st.Login, nil
	})
	switch {
	case err != nil:
		return "", d.stepErr(ctx, "publish", err)
	case strings.Contains(st.URL, markManage):
		return st.URL, nil
	case st.Toast != "":
		return "", fmt.Errorf("douyin: publish: %s: %w", st.Toast, platform.ErrRejected)
	}
	return "", fmt.Errorf("douyin: publish: redirected to the login page: %w", platform.ErrLoginRequired)
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
