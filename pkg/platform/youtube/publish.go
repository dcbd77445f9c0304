package youtube

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

// Publish implements platform.Driver with flow's publish sequence, in the
// order of the reference (§3.8): choose the video in the upload dialog,
// type the title and the description, wait for the upload, then the
// thumbnail, the audience, the tags, Next until the visibility page, the
// visibility or the schedule, and Studio's checks; StepSubmitted is
// reported right before Done, and the result's URL is the watch link the
// dialog shows after it.
func (d *Driver) Publish(ctx context.Context, req platform.PublishRequest, onProgress func(platform.Progress) error) (platform.PublishResult, error) {
	return page.Publish(ctx, d.to, req, onProgress, flow.Steps{Validate: validate,
		Landing: flow.Landing{URL: d.upload, Name: "upload page", What: selFileInput,
			Found: fmt.Sprintf(`q(%s) ? %s : ''`, browser.JS(selFileInput), browser.JS(selFileInput))},
		Form: func(ctx context.Context, _ *flow.Run) error {
			if err := page.Wait(ctx, d.to.Form, "upload.form", selTitleArea, fmt.Sprintf(`qa(%s).some(vis)`, browser.JS(selTitleArea))); err != nil {
				return page.StepErr(ctx, "wait for the details form", err)
			}
			return nil
		},
		Fill:    d.fill,
		Upload:  d.waitUpload,
		Options: d.options,
		Submit:  func(ctx context.Context, _ *flow.Run) (string, error) { return d.submit(ctx) },
	})
}

// validate refuses before the page is touched a visibility Studio does not
// offer, and a schedule with a visibility other than public: a scheduled
// video goes public at its time (assumed).
func validate(req platform.PublishRequest, _ time.Time) error {
	v, ok := visibilityRadio[strings.ToLower(strings.TrimSpace(req.Visibility))]
	if !ok {
		return page.Invalid("visibility %q is not public, unlisted or private", req.Visibility)
	}
	if !req.ScheduleAt.IsZero() && v != visibilityRadio["public"] {
		return page.Invalid("a scheduled video goes public at its time; it cannot be %s", strings.ToLower(v))
	}
	return nil
}

// fill replaces the prefilled title (the file's name) with the request's
// and types the description (§3.8 steps 2-3), closing the suggestions a
// typed '#' opens.
func (d *Driver) fill(ctx context.Context, r *flow.Run) error {
	if err := d.typeInto(ctx, "fill.title", selTitle, []flow.Key{{Text: Title(r.Req.Title)}}); err != nil {
		return page.StepErr(ctx, "fill title", err)
	}
	desc := strings.TrimSpace(r.Req.Description)
	if desc == "" {
		return nil
	}
	var keys []flow.Key
	for i, line := range strings.Split(strings.ReplaceAll(desc, "\r\n", "\n"), "\n") {
		if i > 0 {
			keys = append(keys, flow.Key{Press: browser.KeyEnter})
		}
		keys = append(keys, flow.Key{Text: line})
	}
	if err := d.typeInto(ctx, "fill.description", selDescription, keys); err != nil {
		return page.StepErr(ctx, "fill description", err)
	}
	return nil
}

// typeInto clicks the box css, selects what it holds and types keys over
// it, then closes the suggestions if they opened.
func (d *Driver) typeInto(ctx context.Context, step, css string, keys []flow.Key) error {
	if err := page.WaitClick(ctx, d.to.Element, step, css, fmt.Sprintf(`qa(%s).find(vis) || null`, browser.JS(css))); err != nil {
		return err
	}
	if err := page.Focus(ctx, d.to.Element, step, css); err != nil {
		return err
	}
	if err := flow.TypeKeys(ctx, keys); err != nil {
		return err
	}
	return d.dismissAutocomplete(ctx, step)
}

// dismissAutocomplete presses Escape while the #hashtag suggestions show,
// and only then: Escape otherwise closes the upload dialog (§3.8 step 2).
func (d *Driver) dismissAutocomplete(ctx context.Context, step string) error {
	shown := fmt.Sprintf(`qa(%s).some(vis)`, browser.JS(selAutocomplete))
	if open, err := evalJS[bool](ctx, shown); err != nil || !open {
		return err
	}
	if err := browser.Press(ctx, browser.KeyEscape); err != nil {
		return err
	}
	return page.Wait(ctx, d.to.Element, step, selAutocomplete+" closed", `!(`+shown+`)`)
}

var percentRE = regexp.MustCompile(`(\d{1,3})\s*%`)

// waitUpload waits until the progress label says the upload is over
// (processing, checks or complete, and no percentage below 100; §3.8 step
// 9), reporting the percentage it shows. When the dialog shows an upload
// error it chooses the file again in it, up to Config.UploadRetries times.
func (d *Driver) waitUpload(ctx context.Context, r *flow.Run) error {
	probe := fmt.Sprintf(`(() => {
const failed = qa(%s).find(e => vis(e) && !e.hasAttribute('data-fanout-seen'));
const label = qa(%s).map(e => (e.innerText || '').trim()).find(Boolean) || '';
const m = label.match(/(\d{1,3})\s*%%/);
return {done: !failed && %s.some(w => label.includes(w)) && !(m && +m[1] < 100), failed: !!failed,
  progress: label, login: isLogin()};
})()`, browser.JS(selUploadError), browser.JS(selProgress), flow.JSList(textsProgressDone))
	// The error is rendered anew for each failure; this one is done.
	input := fmt.Sprintf(`(e => { if (!e) return null; e.setAttribute('data-fanout-seen', '1'); return e.querySelector('input[type="file"]'); })(qa(%s).find(e => vis(e) && !e.hasAttribute('data-fanout-seen')))`,
		browser.JS(selUploadError))
	return page.WaitUpload(ctx, d.to.Upload, d.retries, flow.Upload{
		What: selProgress + " done", Probe: probe, Percent: percentRE, Failure: "failed",
		Retry: func(ctx context.Context) error {
			return browser.SetFilesJS(ctx, d.to.Element, "upload.retry", selUploadError+` input[type="file"]`, page.Expr(input), r.Req.VideoPath)
		},
	}, r.Report)
}

// doneButton is a JavaScript expression for Done while it is enabled.
var doneButton = fmt.Sprintf(`(b => b && vis(b) && !b.hasAttribute('disabled') && b.getAttribute('aria-disabled') !== 'true' ? b : null)(q(%s))`,
	browser.JS(selDone))

// submit clicks Done and waits for the dialog that shows the video's watch
// link (§3.8 step 10), which it returns. A new error message means YouTube
// refused the video; the sign-in page means the session expired.
func (d *Driver) submit(ctx context.Context) (string, error) {
	link := fmt.Sprintf(`(a => a ? a.href : '')(qa(%s).find(vis))`, browser.JS(selWatchLink))
	return page.Submit(ctx, d.to.Publish, flow.Submit{Step: "publish", Toasts: selToast, Confirmed: link,
		Click: func(ctx context.Context) error {
			return page.WaitClick(ctx, d.to.Element, "publish.click", selDone+":enabled", doneButton)
		}})
}
