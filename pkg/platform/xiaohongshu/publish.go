package xiaohongshu

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
		return fmt.Errorf("xiaohongshu: %s: %w", fmt.Sprintf(format, args...), platform.ErrInvalidRequest)
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
	if n := utf8.RuneCountInString(strings.TrimSpace(req.Description)); n > maxDescription {
		return bad("description has %d characters, the site takes %d", n, maxDescription)
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

// Title returns the title as the site will store it: trimmed and cut to 20
// characters. FindPublished looks for this form.
func Title(title string) string {
	title = strings.TrimSpace(title)
	if utf8.RuneCountInString(title) <= maxTitle {
		return title
	}
	return strings.TrimSpace(string([]rune(title)[:maxTitle]))
}

// Tags returns the tags the driver types: without '#' or spaces, no
// empties, at most 10 (the site's limit; more used to hang the editor).
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
			return fmt.Errorf("xiaohongshu: publish: progress: %w", err)
		}
		return nil
	}
	if err := d.openUpload(ctx); err != nil {
		return res, err
	}
	if err := report(platform.StepOpened, 0); err != nil {
		return res, err
	}
	if err := browser.SetFiles(ctx, d.to.Element, "upload.file", selFileInput, req.VideoPath); err != nil {
		return res, d.stepErr(ctx, "choose video", err)
	}
	if err := browser.WaitVisible(ctx, d.to.Form, "form.title", selTitle); err != nil {
		return res, d.stepErr(ctx, "open note form", err)
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
	url, err := d.submit(ctx, !req.ScheduleAt.IsZero())
	if err != nil {
		return res, err
	}
	res.URL = url
	if err := report(platform.StepPublished, 0); err != nil {
		return res, err
	}
	return res, nil
}

// openUpload opens the publish page and waits for its file input; a
// redirect to /login is ErrLoginRequired.
func (d *Driver) openUpload(ctx context.Context) error {
	if err := browser.Navigate(ctx, d.to.Page, "upload.open", d.base+pathPublish); err != nil {
		return fmt.Errorf("xiaohongshu: open publish page: %w", err)
	}
	var st openState
	err := browser.Until(ctx, d.to.Element, "upload.open", selFileInput, func(ctx context.Context) (bool, error) {
		var err error
		st, err = d.probeOpen(ctx)
		return err == nil && (st.FileInput || (st.Ready && st.Login)), err
	})
	if err != nil {
		return d.stepErr(ctx, "open publish page", err)
	}
	if !st.FileInput {
		return fmt.Errorf("xiaohongshu: open publish page: redirected to %s: %w", st.URL, platform.ErrLoginRequired)
	}
	return nil
}

// fillText types the title, then the description, then each #tag, choosing
// the first entry of the topic list the editor opens for it.
func (d *Driver) fillText(ctx context.Context, req platform.PublishRequest) error {
	if err := browser.Fill(ctx, "fill.title", selTitle, Title(req.Title)); err != nil {
		return d.stepErr(ctx, "fill title", err)
	}
	// Mark the editor while its empty paragraph still carries the
	// placeholder; the mark outlives the typing.
	mark := fmt.Sprintf(`(p => { const ed = p && p.closest(%s); if (!ed || !vis(ed)) return false;
ed.setAttribute('data-fanout-editor', '1'); return true; })(document.querySelector(%s))`, browser.JS(selEditable), browser.JS(selDescription))
	if err := d.wait(ctx, d.to.Element, "fill.description", selDescription, mark); err != nil {
		return d.stepErr(ctx, "fill description", err)
	}
	const ed = `[data-fanout-editor]`
	desc := strings.TrimSpace(req.Description)
	if err := browser.Fill(ctx, "fill.description", ed, desc); err != nil {
		return d.stepErr(ctx, "fill description", err)
	}
	tags := Tags(req.Tags)
	if desc != "" && len(tags) > 0 {
		if err := browser.Press(ctx, browser.KeyEnter); err != nil {
			return d.stepErr(ctx, "type tags", err)
		}
	}
	list := fmt.Sprintf(`Array.from(document.querySelectorAll(%s)).find(vis)`, browser.JS(selTopicList))
	item := fmt.Sprintf(`(l => l && Array.from(l.querySelectorAll(%s)).find(vis))(%s)`, browser.JS(selTopicItem), list)
	for _, t := range tags {
		if err := browser.InsertText(ctx, "#"+t); err != nil {
			return d.stepErr(ctx, "type tags", err)
		}
		if err := d.waitClick(ctx, "tags.topic", selTopicList+" "+selTopicItem, item); err != nil {
			return d.stepErr(ctx, "type tags", err)
		}
		if err := d.wait(ctx, d.to.Element, "tags.topic", selTopicList+" hidden", "!"+list); err != nil {
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

// waitUpload watches the status card that follows the file input until it
// shows the upload done, reporting the percentage it shows and choosing the
// file again each time it shows 上传失败, up to Config.UploadRetries times.
func (d *Driver) waitUpload(ctx context.Context, video string, report func(platform.Step, int) error) error {
	probe := fmt.Sprintf(`(() => {
const card = Array.from(document.querySelectorAll(%s)).find(vis);
const text = card ? (card.innerText || '') : '';
const failEl = card && findText(%s, false, card);
const fresh = failEl && !failEl.hasAttribute('data-fanout-seen');
if (fresh) failEl.setAttribute('data-fanout-seen', '1');
const busy = text.includes(%s);
return {done: !!card && !failEl && !busy && %s.some(t => text.includes(t)), failed: !!fresh, progress: text, login: isLogin()};
})()`, browser.JS(selPreview), browser.JS(textFailed), browser.JS(textUploading), jsList(textsUploaded))
	var (
		stop    error
		retries int
		last    = -1
	)
	err := browser.Until(ctx, d.to.Upload, "upload.wait", selPreview+":has-text(\"上传成功\")", func(ctx context.Context) (bool, error) {
		st, err := evalJS[uploadState](ctx, probe)
		switch {
		case err != nil:
			return false, err
		case st.Done:
			return true, nil
		case st.Login:
			stop = fmt.Errorf("xiaohongshu: upload: redirected to the login page: %w", platform.ErrLoginRequired)
			return true, nil
		case st.Failed:
			if retries >= d.retries {
				stop = fmt.Errorf("xiaohongshu: upload: %s after %d retries: %w", textFailed, retries, platform.ErrUploadFailed)
				return true, nil
			}
			retries++
			if err := browser.SetFiles(ctx, d.to.Element, "upload.retry", selFileInput, video); err != nil {
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

// submit clicks 发布 (定时发布 when scheduled) and waits for the success page.
// A new error toast means the platform refused the note; the login page
// means the session expired.
func (d *Driver) submit(ctx context.Context, scheduled bool) (string, error) {
	// Toasts already on screen belong to earlier steps.
	if _, err := evalJS[bool](ctx, fmt.Sprintf(`(document.querySelectorAll(%s).forEach(el => el.setAttribute('data-fanout-seen', '1')), true)`, browser.JS(selToast))); err != nil {
		return "", d.stepErr(ctx, "publish", err)
	}
	label := textPublish
	if scheduled {
		label = textSchedule
	}
	if err := d.waitClick(ctx, "publish.click", fmt.Sprintf(`button:text-is(%q)`, label), fmt.Sprintf(`findIn('button', %s, true)`, browser.JS(label))); err != nil {
		return "", d.stepErr(ctx, "publish", err)
	}
	probe := fmt.Sprintf(`({url: location.href, login: isLogin(),
toast: Array.from(document.querySelectorAll(%s)).filter(el => vis(el) && !el.hasAttribute('data-fanout-seen')).map(el => el.innerText.trim()).join('; ')})`, browser.JS(selToast))
	var st submitState
	err := browser.Until(ctx, d.to.Publish, "publish.confirm", "url~"+markSuccess, func(ctx context.Context) (bool, error) {
		var err error
		st, err = evalJS[submitState](ctx, probe)
		if err != nil {
			return false, err
		}
		return strings.Contains(st.URL, markSuccess) || st.Toast != "" || st.Login, nil
	})
	switch {
	case err != nil:
		return "", d.stepErr(ctx, "publish", err)
	case strings.Contains(st.URL, markSuccess):
		return st.URL, nil
	case st.Toast != "":
		return "", fmt.Errorf("xiaohongshu: publish: %s: %w", st.Toast, platform.ErrRejected)
	}
	return "", fmt.Errorf("xiaohongshu: publish: redirected to the login page: %w", platform.ErrLoginRequired)
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
