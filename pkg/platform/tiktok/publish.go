package tiktok

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

// The scheduling window: Fanout's rule of at least 2 hours ahead
// (flow.MinScheduleLead), TikTok's of at most 10 days, in the picker's
// 5-minute steps.
const (
	maxScheduleLead = 10 * 24 * time.Hour
	scheduleStep    = 5 * time.Minute
)

// rules are what the site refuses before the page is touched, besides a
// schedule off its steps (validate).
var rules = flow.Rules{MaxScheduleLead: maxScheduleLead, NoDrafts: "drafts are not supported on TikTok"}

// validate refuses a schedule the picker cannot set before the page is
// touched.
func validate(req platform.PublishRequest, _ time.Time) error {
	if at := req.ScheduleAt; !at.IsZero() && !at.Truncate(scheduleStep).Equal(at) {
		// Time zone offsets are multiples of 15 minutes, so this holds on
		// the page's wall clock too.
		return page.Invalid("schedule %s is not on a 5-minute step", at.Format(time.RFC3339))
	}
	return nil
}

// Title returns the caption's first line as the driver types it;
// FindPublished looks for this form.
func Title(title string) string {
	return flow.Truncate(strings.Join(strings.Fields(title), " "), maxCaption)
}

// Tags returns the hashtags the driver types: without '#' or spaces, no
// empties, at most 30.
func Tags(tags []string) []string { return flow.Tags(tags, maxTags) }

// Publish implements platform.Driver with flow's publish sequence. It
// first learns the language the site speaks (switching it to English in the
// menu when the driver does not know it), then opens the upload page in
// it.
func (d *Driver) Publish(ctx context.Context, req platform.PublishRequest, onProgress func(platform.Progress) error) (platform.PublishResult, error) {
	var tx *texts
	return page.Publish(ctx, d.to, req, onProgress, flow.Steps{Rules: rules, Validate: validate,
		Open: func(ctx context.Context, r *flow.Run) (err error) {
			if tx, err = d.language(ctx); err != nil {
				return err
			}
			// Without lang=en: the page must speak the language just read.
			r.FileInput, err = page.OpenUpload(ctx, d.to, d.uploadPage(""))
			return err
		},
		Fill: d.fillCaption, Upload: d.waitUpload,
		Options: func(ctx context.Context, r *flow.Run) error { return d.fillOptions(ctx, r, tx) },
		Submit:  func(ctx context.Context, _ *flow.Run) (string, error) { return d.submit(ctx, tx) },
	})
}

// fillCaption replaces the caption the page prefills (the file name) with
// the title, the description and the hashtags, one per line, cut to the
// caption limit.
func (d *Driver) fillCaption(ctx context.Context, r *flow.Run) error {
	if err := page.Focus(ctx, d.to.Form, "fill.caption", selCaption); err != nil {
		return page.StepErr(ctx, "fill caption", err)
	}
	title, tags := Title(r.Req.Title), Tags(r.Req.Tags)
	desc := flow.FitDescription(maxCaption, title, tags, r.Req.Description)
	keys := []flow.Key{{Text: title}}
	if desc != "" {
		keys = append(keys, flow.Key{Press: browser.KeyEnter}, flow.Key{Text: desc})
	}
	if len(tags) > 0 {
		keys = append(append(keys, flow.Key{Press: browser.KeyEnter}), flow.Hashtags(tags)...)
	}
	if err := flow.TypeKeys(ctx, keys); err != nil {
		return page.StepErr(ctx, "fill caption", err)
	}
	return nil
}

var percentRE = regexp.MustCompile(`(\d{1,3})\s*%`)

// postButton is a JavaScript expression for the Post button.
var postButton = fmt.Sprintf(`qa(%s).find(vis) || null`, browser.JS(selPostButton))

// waitUpload waits until Post is enabled (the upload is done), reporting
// the percentage the page shows. When the page offers to select the file
// again (the upload failed) it chooses the file again, up to
// Config.UploadRetries times.
func (d *Driver) waitUpload(ctx context.Context, r *flow.Run) error {
	probe := fmt.Sprintf(`(() => {
const failed = qa(%s).find(b => vis(b) && !b.hasAttribute('data-fanout-seen'));
const btn = %s;
const p = qa(%s).find(vis);
return {done: !failed && !!btn && !btn.disabled && btn.getAttribute('aria-disabled') !== 'true', failed: !!failed,
  progress: p ? (p.innerText || '') : '', login: isLogin()};
})()`, browser.JS(selReselect), postButton, browser.JS(selProgress))
	// The file input that belongs to "Select file" replaces the video. The
	// page renders a new error for each failure; this one is done.
	input := fmt.Sprintf(`(b => { if (!b) return null; b.setAttribute('data-fanout-seen', '1');
  return b.parentElement.querySelector('input[type="file"]') || b.querySelector('input[type="file"]'); })(qa(%s).find(b => vis(b) && !b.hasAttribute('data-fanout-seen')))`, browser.JS(selReselect))
	return page.WaitUpload(ctx, d.to.Upload, d.retries, flow.Upload{
		What: selPostButton + `:enabled`, Probe: probe, Percent: percentRE, Failure: "failed",
		Retry: func(ctx context.Context) error {
			return browser.SetFilesJS(ctx, d.to.Element, "upload.retry", selReselect+` input[type="file"]`, page.Expr(input), r.Req.VideoPath)
		},
	}, r.Report)
}

// submit clicks Post, confirms the post when the page asks, and waits for
// the content page. A new error message means the platform refused the
// post; the login page means the session expired.
func (d *Driver) submit(ctx context.Context, tx *texts) (string, error) {
	enabled := fmt.Sprintf(`(b => b && !b.disabled ? b : null)(%s)`, postButton)
	return page.Submit(ctx, d.to.Publish, flow.Submit{Step: "publish", Toasts: selToast, Mark: markContent,
		Click: func(ctx context.Context) error {
			if err := page.WaitClick(ctx, d.to.Element, "publish.click", selPostButton, enabled); err != nil {
				return err
			}
			return d.confirmPost(ctx, tx)
		}})
}

// confirmPost answers, with a real click, the dialog that asks to confirm
// a post while the site still checks the video (CN uploader: 立即发布).
// The site may go on without asking: whatever else the page does after
// Post (the content page, a message, the login page) ends the wait, and
// Submit reads it.
func (d *Driver) confirmPost(ctx context.Context, tx *texts) error {
	button := fmt.Sprintf(`findIn(%s, %s, true)`, browser.JS(selPostConfirm), browser.JS(tx.postNow))
	what := fmt.Sprintf(`%s:text-is(%q)`, selPostConfirm, tx.postNow)
	other := fmt.Sprintf(`location.href.includes(%s) || isLogin() || qa(%s).some(el => vis(el) && !el.hasAttribute('data-fanout-seen'))`,
		browser.JS(markContent), browser.JS(selToast))
	if err := page.Wait(ctx, d.to.Publish, "publish.confirm", what+" or url~"+markContent, `!!(`+button+`) || `+other); err != nil {
		return err
	}
	asked, err := evalJS[bool](ctx, "!!"+button)
	if err != nil {
		// The page is moving on (to the content page or the login page):
		// nothing asks.
		return ctx.Err()
	}
	if !asked {
		return nil
	}
	return page.Click(ctx, "publish.confirm", what, button)
}
