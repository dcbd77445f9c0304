package channels

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
)

// minScheduleLead is how far ahead a 定时 publish must be.
const minScheduleLead = 2 * time.Hour

// validate checks req against the platform's rules before the page is
// touched, so a request that can never succeed fails fast and permanently.
func validate(req platform.PublishRequest, now time.Time) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("channels: %s: %w", fmt.Sprintf(format, args...), platform.ErrInvalidRequest)
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
	if !req.ScheduleAt.IsZero() {
		if req.Draft {
			return bad("a draft cannot be scheduled")
		}
		if req.ScheduleAt.Before(now.Add(minScheduleLead)) {
			return bad("schedule %s is less than %s ahead", req.ScheduleAt.Format(time.RFC3339), minScheduleLead)
		}
	}
	return nil
}

// Title returns the title as the driver types it on the first line of the
// description; FindPublished looks for this form.
func Title(title string) string {
	return truncate(strings.Join(strings.Fields(title), " "), maxDescription)
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
	return truncate(s, maxShortTitle)
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// Tags returns the tags the driver types: without '#' or spaces, no
// empties, at most 10.
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

// Publish implements platform.Driver. With req.Draft it clicks 保存草稿
// instead of 发表; the post list confirms both.
func (d *Driver) Publish(ctx context.Context, req platform.PublishRequest, onProgress func(platform.Progress) error) (platform.PublishResult, error) {
	var res platform.PublishResult
	if err := validate(req, time.Now()); err != nil {
		return res, err
	}
	report := func(step platform.Step, pct int) error {
		if err := onProgress(platform.Progress{Step: step, Percent: pct}); err != nil {
			return fmt.Errorf("channels: publish: progress: %w", err)
		}
		return nil
	}
	fileInput, err := d.openCreate(ctx)
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
	// The form is usable while the video uploads: fill the text first.
	if err := d.fillText(ctx, req); err != nil {
		return res, err
	}
	if err := d.waitUpload(ctx, fileInput, req.VideoPath, report); err != nil {
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
	url, err := d.submit(ctx, req.Draft)
	if err != nil {
		return res, err
	}
	res.URL = url
	if err := report(platform.StepPublished, 0); err != nil {
		return res, err
	}
	return res, nil
}

// createState is what the tab shows on the way to the publish form.
type createState struct {
	homeState
	FileInput string `json:"fileInput"`
	RealName  bool   `json:"realName"`
}

func (d *Driver) probeCreate(ctx context.Context) (createState, error) {
	return evalJS[createState](ctx, fmt.Sprintf(`({url: location.href, ready: document.readyState !== 'loading',
login: isLogin(), entry: !!findIn(%s, %s, false),
fileInput: %s.find(s => q(s)) || '',
realName: !!findIn(%s, %s, false)})`, browser.JS(selHomeButton), browser.JS(textPostVideo),
		jsList(fileInputSelectors), browser.JS(selDialogWrap), browser.JS(textRealName)))
}

// errRealName is returned when the site demands the owner's real-name check,
// which only the account owner can pass in WeChat.
func errRealName(op string) error {
	return fmt.Errorf("channels: %s: the site asks for 实名验证 (the account owner must verify in WeChat): %w", op, platform.ErrLoginRequired)
}

// openCreate opens the home page, clicks 发表视频 like a user (a direct load
// of the form may bounce to the home page) and waits for the form's video
// input in any frame. It returns the selector that found the input.
func (d *Driver) openCreate(ctx context.Context) (string, error) {
	if err := browser.Navigate(ctx, d.to.Page, "upload.open", d.base+pathHome); err != nil {
		return "", fmt.Errorf("channels: open home page: %w", err)
	}
	var st createState
	err := browser.Until(ctx, d.to.Element, "upload.open", selHomeButton+`:has-text("`+textPostVideo+`")`, func(ctx context.Context) (bool, error) {
		var err error
		st, err = d.probeCreate(ctx)
		return err == nil && (st.Entry || st.FileInput != "" || (st.Ready && st.Login)), err
	})
	if err != nil {
		return "", d.stepErr(ctx, "open home page", err)
	}
	if st.Login {
		return "", fmt.Errorf("channels: open home page: redirected to %s: %w", st.URL, platform.ErrLoginRequired)
	}
	if st.FileInput == "" {
		if err := clickJS(ctx, "upload.entry", textPostVideo, fmt.Sprintf(`findIn(%s, %s, false)`, browser.JS(selHomeButton), browser.JS(textPostVideo))); err != nil {
			return "", d.stepErr(ctx, "open publish form", err)
		}
	}
	err = browser.Until(ctx, d.to.Form, "upload.form", fileInputSelectors[0], func(ctx context.Context) (bool, error) {
		var err error
		st, err = d.probeCreate(ctx)
		return err == nil && (st.FileInput != "" || st.RealName || (st.Ready && st.Login)), err
	})
	switch {
	case err != nil:
		return "", d.stepErr(ctx, "open publish form", err)
	case st.RealName:
		return "", errRealName("open publish form")
	case st.FileInput == "":
		return "", fmt.Errorf("channels: open publish form: redirected to %s: %w", st.URL, platform.ErrLoginRequired)
	}
	return st.FileInput, nil
}

// fillText types the description (title, then the #tags, then the text,
// one per line, as the reference does) and the short title.
func (d *Driver) fillText(ctx context.Context, req platform.PublishRequest) error {
	if err := browser.WaitVisibleInFrames(ctx, d.to.Form, "fill.description", selEditor); err != nil {
		return d.stepErr(ctx, "fill description", err)
	}
	if err := browser.FocusJS(ctx, "fill.description", selEditor, libExpr(fmt.Sprintf(`q(%s)`, browser.JS(selEditor)))); err != nil {
		return d.stepErr(ctx, "fill description", err)
	}
	title := Title(req.Title)
	tags := Tags(req.Tags)
	desc := strings.TrimSpace(req.Description)
	used := utf8.RuneCountInString(title) + 2
	for _, t := range tags {
		used += utf8.RuneCountInString(t) + 2
	}
	desc = truncate(desc, max(0, maxDescription-used))
	type key struct{ text, press string }
	seq := []key{{text: title}}
	if len(tags) > 0 {
		seq = append(seq, key{press: browser.KeyEnter})
		for _, t := range tags {
			seq = append(seq, key{text: "#" + t}, key{press: browser.KeySpace})
		}
	}
	if desc != "" {
		seq = append(seq, key{press: browser.KeyEnter}, key{text: desc})
	}
	for _, k := range seq {
		var err error
		if k.text != "" {
			err = browser.InsertText(ctx, k.text)
		} else {
			err = browser.Press(ctx, k.press)
		}
		if err != nil {
			return d.stepErr(ctx, "fill description", err)
		}
	}
	if err := browser.WaitVisibleInFrames(ctx, d.to.Element, "fill.short_title", selShortTitle); err != nil {
		return d.stepErr(ctx, "fill short title", err)
	}
	if err := browser.FocusJS(ctx, "fill.short_title", selShortTitle, libExpr(fmt.Sprintf(`q(%s)`, browser.JS(selShortTitle)))); err != nil {
		return d.stepErr(ctx, "fill short title", err)
	}
	if err := browser.InsertText(ctx, ShortTitle(req.ShortTitle, req.Title)); err != nil {
		return d.stepErr(ctx, "fill short title", err)
	}
	return nil
}

var percentRE = regexp.MustCompile(`(\d{1,3})\s*%`)

type uploadState struct {
	Done     bool   `json:"done"`
	Failed   bool   `json:"failed"`
	Progress string `json:"progress"`
	Login    bool   `json:"login"`
	RealName bool   `json:"realName"`
}

// waitUpload waits until 发表 is enabled (the upload and processing are
// done), reporting the percentage the page shows. Each time the page shows
// the upload error it deletes the failed video and chooses the file again,
// up to Config.UploadRetries times.
func (d *Driver) waitUpload(ctx context.Context, fileInput, video string, report func(platform.Step, int) error) error {
	probe := fmt.Sprintf(`(() => {
const failed = qa(%s).find(vis);
const btn = findIn(%s, %s, true);
const st = q(%s);
return {done: !failed && !!btn && !btn.className.includes(%s), failed: !!failed,
  progress: st ? (st.innerText || '') : '', login: isLogin(), realName: !!findIn(%s, %s, false)};
})()`, browser.JS(selUploadFailed), browser.JS(selFormButton), browser.JS(textPublish), browser.JS(selMediaStatus),
		browser.JS(classDisabled), browser.JS(selDialogWrap), browser.JS(textRealName))
	deadline := time.Now().Add(d.to.Upload)
	last := -1
	for retries := 0; ; retries++ {
		var (
			st   uploadState
			stop error
		)
		err := browser.Until(ctx, time.Until(deadline), "upload.wait", selFormButton+`:text-is("`+textPublish+`"):not(.`+classDisabled+`)`, func(ctx context.Context) (bool, error) {
			var err error
			st, err = evalJS[uploadState](ctx, probe)
			if err != nil {
				return false, err
			}
			if st.Done || st.Failed || st.Login || st.RealName {
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
			return fmt.Errorf("channels: upload: redirected to the login page: %w", platform.ErrLoginRequired)
		case st.RealName:
			return errRealName("upload")
		case st.Done:
			return nil
		}
		if retries >= d.retries {
			return fmt.Errorf("channels: upload: failed after %d retries: %w", retries, platform.ErrUploadFailed)
		}
		if err := d.reupload(ctx, fileInput, video); err != nil {
			return d.stepErr(ctx, "retry upload", err)
		}
	}
}

// reupload deletes the failed video (删除, confirmed in a dialog) and
// chooses the file again.
func (d *Driver) reupload(ctx context.Context, fileInput, video string) error {
	del := fmt.Sprintf(`findIn(%s, %s, true)`, browser.JS(selDeleteUpload), browser.JS(textDelete))
	if err := d.waitClick(ctx, "upload.delete", selDeleteUpload+`:has-text("`+textDelete+`")`, del); err != nil {
		return err
	}
	confirm := fmt.Sprintf(`(dl => dl && Array.from(dl.querySelectorAll('button')).find(b => vis(b) && b.innerText.trim() === %s))(qa(%s).find(vis))`,
		browser.JS(textDelete), browser.JS(selDialog))
	if err := d.waitClick(ctx, "upload.delete_confirm", selDialog+` button:text-is("`+textDelete+`")`, confirm); err != nil {
		return err
	}
	if err := d.wait(ctx, d.to.Element, "upload.file", fileInput, fmt.Sprintf(`q(%s) && !qa(%s).some(vis)`, browser.JS(fileInput), browser.JS(selUploadFailed))); err != nil {
		return err
	}
	return browser.SetFilesJS(ctx, d.to.Element, "upload.file", fileInput, libExpr(fmt.Sprintf(`q(%s)`, browser.JS(fileInput))), video)
}

type submitState struct {
	URL      string `json:"url"`
	Toast    string `json:"toast"`
	Login    bool   `json:"login"`
	RealName bool   `json:"realName"`
}

// submit clicks 发表 (or 保存草稿) and waits for the post list. A new error
// toast means the platform refused the post; the login page means the
// session expired.
func (d *Driver) submit(ctx context.Context, draft bool) (string, error) {
	text, step := textPublish, "publish"
	if draft {
		text, step = textDraft, "draft"
	}
	// Toasts already on screen belong to earlier steps.
	if _, err := evalJS[bool](ctx, fmt.Sprintf(`(qa(%s).forEach(el => el.setAttribute('data-fanout-seen', '1')), true)`, browser.JS(selToast))); err != nil {
		return "", d.stepErr(ctx, step, err)
	}
	btn := fmt.Sprintf(`(b => b && !b.className.includes(%s) ? b : null)(findIn(%s, %s, true))`, browser.JS(classDisabled), browser.JS(selFormButton), browser.JS(text))
	if err := d.waitClick(ctx, step+".click", selFormButton+`:text-is("`+text+`")`, btn); err != nil {
		return "", d.stepErr(ctx, step, err)
	}
	probe := fmt.Sprintf(`({url: location.href, login: isLogin(), realName: !!findIn(%s, %s, false),
toast: qa(%s).filter(el => vis(el) && !el.hasAttribute('data-fanout-seen')).map(el => el.innerText.trim()).join('; ')})`,
		browser.JS(selDialogWrap), browser.JS(textRealName), browser.JS(selToast))
	var st submitState
	err := browser.Until(ctx, d.to.Publish, step+".confirm", "url~"+markList, func(ctx context.Context) (bool, error) {
		var err error
		st, err = evalJS[submitState](ctx, probe)
		if err != nil {
			return false, err
		}
		return strings.Contains(st.URL, markList) || st.Toast != "" || st.Login || st.RealName, nil
	})
	switch {
	case err != nil:
		return "", d.stepErr(ctx, step, err)
	case strings.Contains(st.URL, markList):
		return st.URL, nil
	case st.Toast != "":
		return "", fmt.Errorf("channels: %s: %s: %w", step, st.Toast, platform.ErrRejected)
	case st.RealName:
		return "", errRealName(step)
	}
	return "", fmt.Errorf("channels: %s: redirected to the login page: %w", step, platform.ErrLoginRequired)
}
