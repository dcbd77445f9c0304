package tiktok

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

// The scheduling window: Fanout's rule of at least 2 hours ahead, TikTok's
// of at most 10 days, in the picker's 5-minute steps.
const (
	minScheduleLead = 2 * time.Hour
	maxScheduleLead = 10 * 24 * time.Hour
	scheduleStep    = 5 * time.Minute
)

// validate checks req against the platform's rules before the page is
// touched, so a request that can never succeed fails fast and permanently.
func validate(req platform.PublishRequest, now time.Time) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("tiktok: %s: %w", fmt.Sprintf(format, args...), platform.ErrInvalidRequest)
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
	if strings.TrimSpace(req.Title) == "" {
		return bad("empty title")
	}
	if req.Draft {
		return bad("drafts are not supported on TikTok")
	}
	if at := req.ScheduleAt; !at.IsZero() {
		switch {
		case at.Before(now.Add(minScheduleLead)):
			return bad("schedule %s is less than %s ahead", at.Format(time.RFC3339), minScheduleLead)
		case at.After(now.Add(maxScheduleLead)):
			return bad("schedule %s is more than 10 days ahead", at.Format(time.RFC3339))
		case !at.Truncate(scheduleStep).Equal(at):
			// Time zone offsets are multiples of 15 minutes, so this holds
			// on the page's wall clock too.
			return bad("schedule %s is not on a 5-minute step", at.Format(time.RFC3339))
		}
	}
	return nil
}

// Title returns the caption's first line as the driver types it;
// FindPublished looks for this form.
func Title(title string) string {
	return truncate(strings.Join(strings.Fields(title), " "), maxCaption)
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// Tags returns the hashtags the driver types: without '#' or spaces, no
// empties, at most 30.
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
			return fmt.Errorf("tiktok: publish: progress: %w", err)
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
	if err := browser.SetFilesJS(ctx, d.to.Element, "upload.file", fileInput, libExpr(fmt.Sprintf(`q(%s)`, browser.JS(fileInput))), req.VideoPath); err != nil {
		return res, d.stepErr(ctx, "choose video", err)
	}
	if err := report(platform.StepUploading, 0); err != nil {
		return res, err
	}
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

// openUpload opens TikTok Studio's upload page and returns the selector of
// its video input; a redirect to the login page is ErrLoginRequired.
func (d *Driver) openUpload(ctx context.Context) (string, error) {
	if err := browser.Navigate(ctx, d.to.Page, "upload.open", d.base+pathUpload+langQuery); err != nil {
		return "", fmt.Errorf("tiktok: open upload page: %w", err)
	}
	var st openState
	err := browser.Until(ctx, d.to.Element, "upload.open", fileInputSelectors[0], func(ctx context.Context) (bool, error) {
		var err error
		st, err = d.probeOpen(ctx)
		return err == nil && (st.FileInput != "" || (st.Ready && st.Login)), err
	})
	if err != nil {
		return "", d.stepErr(ctx, "open upload page", err)
	}
	if st.FileInput == "" {
		return "", fmt.Errorf("tiktok: open upload page: redirected to %s: %w", st.URL, platform.ErrLoginRequired)
	}
	return st.FileInput, nil
}

// caption returns the lines the driver types: the title, the description
// and the hashtags, cut to the caption limit.
func caption(req platform.PublishRequest) (title, desc string, tags []string) {
	title = Title(req.Title)
	tags = Tags(req.Tags)
	used := utf8.RuneCountInString(title) + 2
	for _, t := range tags {
		used += utf8.RuneCountInString(t) + 2
	}
	desc = truncate(strings.TrimSpace(req.Description), max(0, maxCaption-used))
	return title, desc, tags
}

// fillCaption replaces the caption the page prefills (the file name) with
// the title, the description and the hashtags, one per line.
func (d *Driver) fillCaption(ctx context.Context, req platform.PublishRequest) error {
	if err := browser.WaitVisibleInFrames(ctx, d.to.Form, "fill.caption", selCaption); err != nil {
		return d.stepErr(ctx, "fill caption", err)
	}
	if err := browser.FocusJS(ctx, "fill.caption", selCaption, libExpr(fmt.Sprintf(`q(%s)`, browser.JS(selCaption)))); err != nil {
		return d.stepErr(ctx, "fill caption", err)
	}
	title, desc, tags := caption(req)
	type key struct{ text, press string }
	seq := []key{{text: title}}
	if desc != "" {
		seq = append(seq, key{press: browser.KeyEnter}, key{text: desc})
	}
	if len(tags) > 0 {
		seq = append(seq, key{press: browser.KeyEnter})
		for _, t := range tags {
			// A space ends the hashtag and closes its suggestions.
			seq = append(seq, key{text: "#" + t}, key{press: browser.KeySpace})
		}
	}
	for _, k := range seq {
		var err error
		if k.text != "" {
			err = browser.InsertText(ctx, k.text)
		} else {
			err = browser.Press(ctx, k.press)
		}
		if err != nil {
			return d.stepErr(ctx, "fill caption", err)
		}
	}
	return nil
}

var percentRE = regexp.MustCompile(`(\d{1,3})\s*%`)

type uploadState struct {
	Done     bool   `json:"done"`
	Failed   bool   `json:"failed"`
	Progress string `json:"progress"`
	Login    bool   `json:"login"`
}

// postButton is a JavaScript expression for the Post button.
var postButton = fmt.Sprintf(`findIn(%s, %s, true)`, browser.JS(selPostButton), browser.JS(textPost))

// waitUpload waits until Post is enabled (the upload is done), reporting
// the percentage the page shows. When the page offers to select the file
// again (the upload failed) it chooses the file again, up to
// Config.UploadRetries times.
func (d *Driver) waitUpload(ctx context.Context, video string, report func(platform.Step, int) error) error {
	probe := fmt.Sprintf(`(() => {
const failed = qa(%s).find(b => vis(b) && !b.hasAttribute('data-fanout-seen'));
const btn = %s;
const p = qa(%s).find(vis);
return {done: !failed && !!btn && !btn.disabled && btn.getAttribute('aria-disabled') !== 'true', failed: !!failed,
  progress: p ? (p.innerText || '') : '', login: isLogin()};
})()`, browser.JS(selReselect), postButton, browser.JS(selProgress))
	deadline := time.Now().Add(d.to.Upload)
	last := -1
	for retries := 0; ; retries++ {
		var (
			st   uploadState
			stop error
		)
		err := browser.Until(ctx, time.Until(deadline), "upload.wait", selPostButton+`:text-is("`+textPost+`"):enabled`, func(ctx context.Context) (bool, error) {
			var err error
			st, err = evalJS[uploadState](ctx, probe)
			if err != nil {
				return false, err
			}
			if st.Done || st.Failed || st.Login {
				return true, nil
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
		switch {
		case stop != nil:
			return stop
		case err != nil:
			return d.stepErr(ctx, "upload", err)
		case st.Login:
			return fmt.Errorf("tiktok: upload: redirected to the login page: %w", platform.ErrLoginRequired)
		case st.Done:
			return nil
		}
		if retries >= d.retries {
			return fmt.Errorf("tiktok: upload: failed after %d retries: %w", retries, platform.ErrUploadFailed)
		}
		// The file input that belongs to "Select file" replaces the video.
		// The page renders a new error for each failure; this one is done.
		input := fmt.Sprintf(`(b => { if (!b) return null; b.setAttribute('data-fanout-seen', '1');
  return b.parentElement.querySelector('input[type="file"]') || b.querySelector('input[type="file"]'); })(qa(%s).find(b => vis(b) && !b.hasAttribute('data-fanout-seen')))`, browser.JS(selReselect))
		if err := browser.SetFilesJS(ctx, d.to.Element, "upload.retry", selReselect+` input[type="file"]`, libExpr(input), video); err != nil {
			return d.stepErr(ctx, "retry upload", err)
		}
	}
}

type submitState struct {
	URL   string `json:"url"`
	Toast string `json:"toast"`
	Login bool   `json:"login"`
}

// submit clicks Post and waits for the content page. A new error toast
// means the platform refused the post; the login page means the session
// expired.
func (d *Driver) submit(ctx context.Context) (string, error) {
	if _, err := evalJS[bool](ctx, fmt.Sprintf(`(qa(%s).forEach(el => el.setAttribute('data-fanout-seen', '1')), true)`, browser.JS(selToast))); err != nil {
		return "", d.stepErr(ctx, "publish", err)
	}
	enabled := fmt.Sprintf(`(b => b && !b.disabled ? b : null)(%s)`, postButton)
	if err := d.waitClick(ctx, "publish.click", selPostButton+`:text-is("`+textPost+`")`, enabled); err != nil {
		return "", d.stepErr(ctx, "publish", err)
	}
	probe := fmt.Sprintf(`({url: location.href, login: isLogin(),
toast: qa(%s).filter(el => vis(el) && !el.hasAttribute('data-fanout-seen')).map(el => el.innerText.trim()).join('; ')})`, browser.JS(selToast))
	var st submitState
	err := browser.Until(ctx, d.to.Publish, "publish.confirm", "url~"+markContent, func(ctx context.Context) (bool, error) {
		var err error
		st, err = evalJS[submitState](ctx, probe)
		if err != nil {
			return false, err
		}
		return strings.Contains(st.URL, markContent) || st.Toast != "" || st.Login, nil
	})
	switch {
	case err != nil:
		return "", d.stepErr(ctx, "publish", err)
	case strings.Contains(st.URL, markContent):
		return st.URL, nil
	case st.Toast != "":
		return "", fmt.Errorf("tiktok: publish: %s: %w", st.Toast, platform.ErrRejected)
	}
	return "", fmt.Errorf("tiktok: publish: redirected to the login page: %w", platform.ErrLoginRequired)
}
