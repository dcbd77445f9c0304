package channels

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
)

// rules are what the site refuses before the page is touched: a draft
// cannot be scheduled. The site sets no upper bound on a schedule.
var rules = flow.Rules{NoScheduledDrafts: "a draft cannot be scheduled"}

// Title returns the title as the driver types it on the first line of the
// description; FindPublished looks for this form.
func Title(title string) string {
	return flow.Truncate(strings.Join(strings.Fields(title), " "), maxDescription)
}

// ShortTitle returns the short title (短标题) the site accepts, from the
// request's ShortTitle or, when that is empty, from its title, by the
// reference uploader's rule: keep letters, digits and 《》“”:+?%°, turn ','
// into a space, drop everything else; cut to 15 characters, and pad one
// shorter than 7 with "，精彩内容分享" (cut again to 15).
func ShortTitle(shortTitle, title string) string {
	src := strings.TrimSpace(shortTitle)
	if src == "" {
		src = title
	}
	var b strings.Builder
	for _, r := range src {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(shortTitleSpecial, r):
			b.WriteRune(r)
		case r == ',':
			b.WriteRune(' ')
		}
	}
	s := strings.TrimSpace(b.String())
	if utf8.RuneCountInString(s) < minShortTitle {
		s += shortTitlePad
	}
	return flow.Truncate(s, maxShortTitle)
}

// Tags returns the tags the driver types: without '#' or spaces, no
// empties, at most 10.
func Tags(tags []string) []string { return flow.Tags(tags, maxTags) }

// Publish implements platform.Driver with flow's publish sequence. With
// req.Draft it clicks 保存草稿 instead of 发表. A real-name check the site
// asks for on the way is put to a person (platform.Ask) and the publish
// goes on once it is passed.
func (d *Driver) Publish(ctx context.Context, req platform.PublishRequest, onProgress func(platform.Progress) error) (platform.PublishResult, error) {
	return page.Publish(ctx, d.to, req, onProgress, flow.Steps{Rules: rules, Open: d.openCreate,
		Form: func(ctx context.Context, _ *flow.Run) error { return d.passRealName(ctx, "choose video") },
		Fill: d.fillText, Upload: d.waitUpload, Options: d.fillOptions, Submit: d.submit})
}

// createState is what the tab shows on the way to the publish form.
type createState struct {
	URL       string `json:"url"`
	Ready     bool   `json:"ready"`
	Login     bool   `json:"login"`
	FileInput string `json:"fileInput"`
	RealName  bool   `json:"realName"`
}

// fileInput is a JavaScript expression yielding the first of
// fileInputSelectors that matches in any frame, or "".
var fileInput = fmt.Sprintf(`(%s.find(s => q(s)) || '')`, flow.JSList(fileInputSelectors))

// openCreate opens the home page, clicks 发表视频 like a user (a direct load
// of the form may bounce to the home page) and waits for the form's video
// input in any frame, whose selector it sets as r.FileInput. A real-name
// check in the way is put to a person first.
func (d *Driver) openCreate(ctx context.Context, r *flow.Run) error {
	if err := browser.Navigate(ctx, d.to.Page, "upload.open", d.base+pathHome); err != nil {
		return fmt.Errorf("channels: open home page: %w", err)
	}
	home, err := page.Await(ctx, d.to, "upload.open", flow.Landing{What: selHomeButton + `:has-text("` + textPostVideo + `")`,
		Found: fileInput + ` || (` + entry + ` ? 'entry' : '')`})
	if err != nil {
		return page.StepErr(ctx, "open home page", err)
	}
	if home.Login {
		return fmt.Errorf("channels: open home page: redirected to %s: %w", home.URL, platform.ErrLoginRequired)
	}
	if home.Found == "entry" {
		if err := page.Click(ctx, "upload.entry", textPostVideo, entry); err != nil {
			return page.StepErr(ctx, "open publish form", err)
		}
	}
	probe := fmt.Sprintf(`({url: location.href, ready: document.readyState !== 'loading', login: isLogin(), fileInput: %s, realName: !!%s})`, fileInput, realNameDialog)
	for {
		var st createState
		err = browser.Until(ctx, d.to.Form, "upload.form", fileInputSelectors[0], func(ctx context.Context) (bool, error) {
			var err error
			st, err = evalJS[createState](ctx, probe)
			return err == nil && (st.FileInput != "" || st.RealName || (st.Ready && st.Login)), err
		})
		switch {
		case err != nil:
			return page.StepErr(ctx, "open publish form", err)
		case st.FileInput != "":
			r.FileInput = st.FileInput
			return nil
		case st.RealName:
			if err := d.passRealName(ctx, "open publish form"); err != nil {
				return err
			}
			continue
		}
		return fmt.Errorf("channels: open publish form: redirected to %s: %w", st.URL, platform.ErrLoginRequired)
	}
}

// fillText types the description: title, then the #tags, then the text,
// one per line, as the reference does.
func (d *Driver) fillText(ctx context.Context, r *flow.Run) error {
	if err := page.Focus(ctx, d.to.Form, "fill.description", selEditor); err != nil {
		return page.StepErr(ctx, "fill description", err)
	}
	title, tags := Title(r.Req.Title), Tags(r.Req.Tags)
	desc := flow.FitDescription(maxDescription, title, tags, r.Req.Description)
	keys := []flow.Key{{Text: title}}
	if len(tags) > 0 {
		keys = append(append(keys, flow.Key{Press: browser.KeyEnter}), flow.Hashtags(tags)...)
	}
	if desc != "" {
		keys = append(keys, flow.Key{Press: browser.KeyEnter}, flow.Key{Text: desc})
	}
	if err := flow.TypeKeys(ctx, keys); err != nil {
		return page.StepErr(ctx, "fill description", err)
	}
	return nil
}

var percentRE = regexp.MustCompile(`(\d{1,3})\s*%`)

// waitUpload waits until 发表 is enabled (the upload and processing are
// done), reporting the percentage the page shows. Each time the page shows
// the upload error it deletes the failed video and chooses the file again,
// up to Config.UploadRetries times. A real-name dialog does not stop the
// upload; it is answered before the options.
func (d *Driver) waitUpload(ctx context.Context, r *flow.Run) error {
	probe := fmt.Sprintf(`(() => {
const failed = qa(%s).find(vis);
const btn = findIn(%s, %s, true);
const st = q(%s);
return {done: !failed && !!btn && !btn.className.includes(%s), failed: !!failed,
  progress: st ? (st.innerText || '') : '', login: isLogin()};
})()`, browser.JS(selUploadFailed), browser.JS(selFormButton), browser.JS(textPublish), browser.JS(selMediaStatus),
		browser.JS(classDisabled))
	return page.WaitUpload(ctx, d.to.Upload, d.retries, flow.Upload{
		What:  selFormButton + `:text-is("` + textPublish + `"):not(.` + classDisabled + `)`,
		Probe: probe, Percent: percentRE, Failure: "failed",
		Retry: func(ctx context.Context) error { return d.reupload(ctx, r.FileInput, r.Req.VideoPath) },
	}, r.Report)
}

// reupload deletes the failed video (删除, confirmed in a dialog) and
// chooses the file again.
func (d *Driver) reupload(ctx context.Context, fileInput, video string) error {
	del := fmt.Sprintf(`findIn(%s, %s, true)`, browser.JS(selDeleteUpload), browser.JS(textDelete))
	if err := page.WaitClick(ctx, d.to.Element, "upload.delete", selDeleteUpload+`:has-text("`+textDelete+`")`, del); err != nil {
		return err
	}
	confirm := fmt.Sprintf(`(dl => dl && Array.from(dl.querySelectorAll('button')).find(b => vis(b) && b.innerText.trim() === %s))(qa(%s).find(vis))`,
		browser.JS(textDelete), browser.JS(selDialog))
	if err := page.WaitClick(ctx, d.to.Element, "upload.delete_confirm", selDialog+` button:text-is("`+textDelete+`")`, confirm); err != nil {
		return err
	}
	if err := page.Wait(ctx, d.to.Element, "upload.file", fileInput, fmt.Sprintf(`q(%s) && !qa(%s).some(vis)`, browser.JS(fileInput), browser.JS(selUploadFailed))); err != nil {
		return err
	}
	return browser.SetFilesJS(ctx, d.to.Element, "upload.file", fileInput, page.Expr(fmt.Sprintf(`q(%s)`, browser.JS(fileInput))), video)
}

// published is a JavaScript expression, true once a 发表 went through as
// the reference tells (T:911-923): the tab left the form page, or the form
// lost its 发表 button. The post list is one such page.
var published = fmt.Sprintf(`!isLogin() && (!location.href.includes(%s) || !findIn(%s, %s, true))`,
	browser.JS(markCreate), browser.JS(selFormButton), browser.JS(textPublish))

// errPublished ends flow.Submit's wait when published holds (see submit).
var errPublished = errors.New("published")

// submit clicks 发表 (or 保存草稿) and waits until the site confirms: a
// draft by the post list (T:908-909), a publish by published. An error
// message means the platform refused the post; the login page means the
// session expired; the real-name dialog is put to a person, and the post
// is sent again once it is passed.
func (d *Driver) submit(ctx context.Context, r *flow.Run) (string, error) {
	text, step := textPublish, "publish"
	if r.Req.Draft {
		text, step = textDraft, "draft"
	}
	btn := fmt.Sprintf(`(b => b && !b.className.includes(%s) ? b : null)(findIn(%s, %s, true))`, browser.JS(classDisabled), browser.JS(selFormButton), browser.JS(text))
	s := flow.Submit{Step: step, Toasts: selToast, Mark: markList,
		Click: func(ctx context.Context) error {
			return page.WaitClick(ctx, d.to.Element, step+".click", selFormButton+`:text-is("`+text+`")`, btn)
		}}
	d.realNameSubmit(&s)
	if !r.Req.Draft {
		// flow.Submit knows a confirmation only as a part of the URL
		// (Mark); the other signals end its wait as Blocked, whose error
		// comes back here as the success it is.
		s.Blocked, s.BlockedErr = published, func(string) error { return errPublished }
	}
	url, err := page.Submit(ctx, d.to.Publish, s)
	if errors.Is(err, errPublished) {
		return browser.Location(ctx)
	}
	return url, err
}
