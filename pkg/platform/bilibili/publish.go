package bilibili

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fanout/pkg/platform"
)

// Limits the site enforces (§5.3) and the capability definition shares.
const (
	titleMax = 80
	tagsMax  = 12
)

// cutTitle is the title as the site keeps it: at most 80 characters.
func cutTitle(s string) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > titleMax {
		return string(r[:titleMax])
	}
	return s
}

// cutTags drops empty and repeated tags and keeps the first 12.
func cutTags(tags []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range tags {
		t = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), "#"))
		if t == "" || seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, t)
		if len(out) == tagsMax {
			break
		}
	}
	return out
}

// Publish implements platform.Driver: check the login (StepOpened), upload
// the video (StepUploading…StepUploaded), upload the cover and build the
// submission (StepFilled), then StepSubmitted right before the submit call
// (an error from onProgress there posts nothing) and StepPublished after.
func (d *Driver) Publish(ctx context.Context, req platform.PublishRequest, onProgress func(platform.Progress) error) (platform.PublishResult, error) {
	title := cutTitle(req.Title)
	tags := cutTags(req.Tags)
	tid, err := categoryTID(req.Category)
	switch {
	case err != nil:
		return platform.PublishResult{}, err
	case title == "":
		return platform.PublishResult{}, fmt.Errorf("bilibili: a title is required: %w", platform.ErrInvalidRequest)
	case len(tags) == 0:
		// The site refuses a submission without tags (§5.3, 21005
		// "Tag不能为空"): say so before uploading anything.
		return platform.PublishResult{}, fmt.Errorf("bilibili: at least one tag is required (Tag不能为空): %w", platform.ErrInvalidRequest)
	case len(req.ImagePaths) > 0:
		return platform.PublishResult{}, fmt.Errorf("bilibili: image notes are not supported: %w", platform.ErrInvalidRequest)
	}
	if err := d.ensureLogin(ctx); err != nil {
		return platform.PublishResult{}, err
	}
	if err := onProgress(platform.Progress{Step: platform.StepOpened}); err != nil {
		return platform.PublishResult{}, err
	}
	stem, err := d.upload(ctx, req.VideoPath, onProgress)
	if err != nil {
		return platform.PublishResult{}, err
	}
	if err := onProgress(platform.Progress{Step: platform.StepUploaded, Percent: 100}); err != nil {
		return platform.PublishResult{}, err
	}
	cover := ""
	if req.CoverPath != "" {
		if cover, err = d.cover(ctx, req.CoverPath); err != nil {
			return platform.PublishResult{}, err
		}
	}
	body := studio{
		Copyright: 1, TID: tid, Cover: cover, Title: title, Desc: req.Description, Tag: strings.Join(tags, ","),
		Videos:   []studioVideo{{Title: partTitle(req.VideoPath), Filename: stem}},
		Subtitle: studioSubtitle{Lan: ""},
	}
	if !req.ScheduleAt.IsZero() {
		dt := req.ScheduleAt.Unix()
		body.Dtime = &dt
	}
	if err := onProgress(platform.Progress{Step: platform.StepFilled}); err != nil {
		return platform.PublishResult{}, err
	}
	if err := onProgress(platform.Progress{Step: platform.StepSubmitted}); err != nil {
		return platform.PublishResult{}, err
	}
	bvid, err := d.submit(ctx, body)
	if err != nil {
		return platform.PublishResult{}, err
	}
	res := platform.PublishResult{URL: videoURL(bvid)}
	if err := onProgress(platform.Progress{Step: platform.StepPublished}); err != nil {
		return res, err
	}
	return res, nil
}

// partTitle is the part's title: the file's stem, cut to 80 characters
// as 77 plus "..." (§3.5).
func partTitle(videoPath string) string {
	base := filepath.Base(videoPath)
	s := strings.TrimSuffix(base, filepath.Ext(base))
	if r := []rune(s); len(r) > titleMax {
		return string(r[:titleMax-3]) + "..."
	}
	return s
}

// cover uploads the cover image (§4): a base64 data URL, always labelled
// jpeg, with the csrf. The user asked for it, so a failure fails the
// publish naming the step.
func (d *Driver) cover(ctx context.Context, coverPath string) (string, error) {
	b, err := os.ReadFile(coverPath)
	if err != nil {
		return "", fmt.Errorf("bilibili: cover: %w", err)
	}
	form := url.Values{"cover": {"data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(b)},
		"csrf": {cookie(session(ctx), "bili_jct")}}
	var data struct {
		URL string `json:"url"`
	}
	env, err := d.api(ctx, call{method: "POST", url: d.cfg.BaseURL + "/x/vu/web/cover/up", form: form, cookies: true,
		ua: cookieUA, timeout: d.cfg.Timeout, record: true}, &data)
	switch {
	case err != nil:
		return "", fmt.Errorf("bilibili: cover upload: %w: %w", platform.ErrUploadFailed, err)
	case env.Code != 0:
		return "", refused("cover upload", env)
	case data.URL == "":
		return "", fmt.Errorf("bilibili: cover upload: no URL: %w", platform.ErrUploadFailed)
	}
	return data.URL, nil
}

// studio is the submission's JSON (§5.2); missing optional values go out
// as null or their zero.
type studio struct {
	Copyright    int            `json:"copyright"`
	Source       string         `json:"source"`
	TID          int            `json:"tid"`
	Cover        string         `json:"cover"`
	Title        string         `json:"title"`
	Desc         string         `json:"desc"`
	DescFormatID int            `json:"desc_format_id"`
	Dynamic      string         `json:"dynamic"`
	Tag          string         `json:"tag"`
	Videos       []studioVideo  `json:"videos"`
	Dtime        *int64         `json:"dtime"`
	Subtitle     studioSubtitle `json:"subtitle"`
	NoReprint    int            `json:"no_reprint"`
}

type studioVideo struct {
	Title    string `json:"title"`
	Filename string `json:"filename"`
	Desc     string `json:"desc"`
}

type studioSubtitle struct {
	Open int    `json:"open"`
	Lan  string `json:"lan"`
}

// submit posts the submission once (§3.6: never retried). With the TV
// token it is biliup's default, the signed app endpoint (§5.1 App);
// cookies imported from a browser carry no token and take the web
// endpoint with the csrf (§5.1 Web). Risk control (21566, 137022) needs a
// person to pass a captcha in the app (§8): reported as the refusal it is.
func (d *Driver) submit(ctx context.Context, body studio) (string, error) {
	s := session(ctx)
	c := call{method: "POST", url: d.cfg.BaseURL + "/x/vu/web/add/v3", json: body, cookies: true, ua: cookieUA,
		timeout: 60 * time.Second, record: true,
		query: url.Values{"t": {strconv.FormatInt(time.Now().UnixMilli(), 10)}, "csrf": {cookie(s, "bili_jct")}}}
	if access := cookie(s, accessTokenName); access != "" {
		c = call{method: "POST", url: d.cfg.BaseURL + "/x/vu/app/add", json: body, ua: appUA, timeout: 60 * time.Second, record: true,
			query: sign(url.Values{"access_key": {access}, "build": {"7800300"}, "c_locale": {"zh-Hans_CN"}, "channel": {"bili"},
				"disable_rcmd": {"0"}, "mobi_app": {"android"}, "platform": {"android"}, "s_locale": {"zh-Hans_CN"},
				"statistics": {`{"appId":1,"platform":3,"version":"7.80.0","abtest":""}`}})}
	}
	var data struct {
		Aid  int64  `json:"aid"`
		Bvid string `json:"bvid"`
	}
	env, err := d.api(ctx, c, &data)
	if err != nil {
		return "", err
	}
	switch env.Code {
	case 0:
		return data.Bvid, nil
	case 21566, 137022:
		env.Message += " (risk control: one submission by hand in the Bilibili app, with its captcha, clears it)"
	}
	return "", refused("submission", env)
}
