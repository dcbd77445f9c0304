package xiaohongshu_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"image"
	"image/png"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/fakesite"
	"fanout/pkg/platform/flow/flowtest"
	"fanout/pkg/platform/platformtest"
	"fanout/pkg/platform/xiaohongshu"
	"fanout/pkg/platform/xiaohongshu/xiaohongshutest"
	"fanout/pkg/testenv"
	"fanout/pkg/web"
)

// The cases here show what the reference uploader does on this site that
// the fake now asks for too (platform-fidelity.md §Xiaohongshu).

// TestUploadDoneEverySignal: a finished upload may show any of SAU's signs
// (X:641) or only the title input (X:660-665); the driver goes on after
// each.
func TestUploadDoneEverySignal(t *testing.T) {
	for _, sig := range xiaohongshutest.UploadDoneSignals {
		t.Run(sig, func(t *testing.T) {
			site := flowtest.Serve(t, xiaohongshutest.New)
			site.UploadDoneSignal(sig)
			_, posts, err := flowtest.Publish(t, site, newDriver(site.URL(), flowtest.Timeouts), platformtest.Request("上传完成:"+sig))
			if err != nil {
				t.Fatalf("Publish with the upload shown done by %q: %v", sig, err)
			}
			if len(posts) != 1 {
				t.Fatalf("posts = %+v, want one", posts)
			}
		})
	}
}

// publishTab opens the fake's publish page in a logged-in tab and chooses
// the test video there.
func publishTab(t *testing.T, site *xiaohongshutest.Site) context.Context {
	t.Helper()
	ctx := platformtest.NewTab(t, site.SessionCookies(), 60*time.Second)
	if err := browser.Navigate(ctx, 10*time.Second, "open", site.URL()+"/publish/publish?from=homepage&target=video"); err != nil {
		t.Fatal(err)
	}
	if err := browser.SetFiles(ctx, 5*time.Second, "file", "input.upload-input", testenv.Testdata("sample.mp4")); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// absent checks that cond (a JavaScript condition) stays false for d.
func absent(t *testing.T, ctx context.Context, d time.Duration, what, cond string) {
	t.Helper()
	err := browser.Until(ctx, d, "absent", what, func(ctx context.Context) (bool, error) {
		return browser.Eval[bool](ctx, "!!("+cond+")")
	})
	var se *web.SelectorError
	if !errors.As(err, &se) {
		t.Fatalf("%s: %v, want it to stay absent for %s", what, err, d)
	}
}

const (
	titleInput = `input[placeholder*="填写标题"]`
	topicList  = `#creator-editor-topic-container`
)

// TestFakeShowsTheTextOnlyAfterTheUpload: SAU fills the note only once the
// upload finished (X:671-672); the fake has no title or editor before, so a
// driver that fills during the upload fails.
func TestFakeShowsTheTextOnlyAfterTheUpload(t *testing.T) {
	site := flowtest.Serve(t, xiaohongshutest.New)
	site.SetDelay(fakesite.DelayUpload, 2*time.Second)
	ctx := publishTab(t, site)
	if err := browser.WaitText(ctx, 5*time.Second, "uploading", ".preview-new", "上传中"); err != nil {
		t.Fatal(err)
	}
	for _, css := range []string{titleInput, `[contenteditable="true"]`} {
		if ok, err := browser.Exists(ctx, css); err != nil || ok {
			t.Errorf("%s during the upload: exists %v, %v; want none", css, ok, err)
		}
	}
	if err := browser.WaitVisible(ctx, 20*time.Second, "title", titleInput); err != nil {
		t.Fatalf("title after the upload: %v", err)
	}
	if ok, err := browser.HasText(ctx, ".upload-content", "上传中"); err != nil || ok {
		t.Errorf("the title shows while the card says 上传中 (%v)", err)
	}
}

// TestTextFilledAfterTheUpload: the driver types the note once the upload
// finished (SAU X:671-672), however long the upload takes beyond the wait
// for a form.
func TestTextFilledAfterTheUpload(t *testing.T) {
	site := flowtest.Serve(t, xiaohongshutest.New)
	site.SetDelay(fakesite.DelayUpload, 3*time.Second)
	to := flowtest.Timeouts
	to.Form, to.Element = time.Second, time.Second
	req := platformtest.Request("上传后填写")
	ctx := platformtest.NewTab(t, site.SessionCookies(), 60*time.Second)
	var rec platformtest.Recorder
	if _, err := newDriver(site.URL(), to).Publish(ctx, req, rec.Func); err != nil {
		t.Fatalf("Publish after a 3 s upload: %v (steps %v)", err, rec.Steps())
	}
	want := []platform.Step{platform.StepOpened, platform.StepUploading, platform.StepUploaded,
		platform.StepFilled, platform.StepSubmitted, platform.StepPublished}
	if got := rec.Steps(); !slices.Equal(got, want) {
		t.Errorf("steps = %v, want %v", got, want)
	}
	posts := site.Published()
	if len(posts) != 1 || posts[0].Title != req.Title || posts[0].Description != req.Description || !slices.Equal(posts[0].Tags, req.Tags) {
		t.Fatalf("posts = %+v, want the request's text", posts)
	}
}

// TestFakeOpensTopicsOnTheHashKey: a topic forms only from the list that a
// '#' typed as a key opens (SAU X:447-454); "#word" inserted at once, or a
// word the search does not find, opens none.
func TestFakeOpensTopicsOnTheHashKey(t *testing.T) {
	site := flowtest.Serve(t, xiaohongshutest.New)
	site.UploadDoneSignal(xiaohongshutest.TitleOnly)
	ctx := publishTab(t, site)
	editor := `[contenteditable="true"]`
	if err := browser.WaitVisible(ctx, 20*time.Second, "editor", editor); err != nil {
		t.Fatal(err)
	}
	if err := browser.Focus(ctx, "focus", editor); err != nil {
		t.Fatal(err)
	}
	visible := `(l => !!l && !l.hidden && !!l.querySelector('.item'))(document.querySelector('` + topicList + `'))`
	if err := browser.InsertText(ctx, "#春天"); err != nil {
		t.Fatal(err)
	}
	absent(t, ctx, 1500*time.Millisecond, "topic list after #春天 inserted at once", visible)

	if err := browser.Press(ctx, " #"); err != nil {
		t.Fatal(err)
	}
	if err := browser.InsertText(ctx, "夏天"); err != nil {
		t.Fatal(err)
	}
	if err := browser.Until(ctx, 5*time.Second, "list", topicList, func(ctx context.Context) (bool, error) {
		return browser.Eval[bool](ctx, visible)
	}); err != nil {
		t.Fatalf("topic list after the # key: %v", err)
	}
	first, err := browser.Eval[string](ctx, `document.querySelector('`+topicList+` .item .name').textContent`)
	if err != nil || first != "#夏天" {
		t.Errorf("first suggestion = %q, %v; want #夏天", first, err)
	}

	if err := browser.Press(ctx, " #"); err != nil {
		t.Fatal(err)
	}
	if err := browser.InsertText(ctx, "秋"+xiaohongshutest.NoSuggestion); err != nil {
		t.Fatal(err)
	}
	absent(t, ctx, 1500*time.Millisecond, "topic list for a word the search does not find", visible)
}

// TestTopicWithoutSuggestionIsLeftOut: SAU skips a topic whose list does
// not come, erasing what it typed (X:455-462); the publish goes on with one
// warning.
func TestTopicWithoutSuggestionIsLeftOut(t *testing.T) {
	site := flowtest.Serve(t, xiaohongshutest.New)
	req := platformtest.Request("冷门话题")
	req.Description = "正文"
	req.Tags = []string{"春天", "冷门" + xiaohongshutest.NoSuggestion, "vlog"}
	var (
		mu    sync.Mutex
		warns []platform.Warning
	)
	ctx := platform.WithWarner(platformtest.NewTab(t, site.SessionCookies(), 60*time.Second), func(_ context.Context, w platform.Warning) {
		mu.Lock()
		defer mu.Unlock()
		warns = append(warns, w)
	})
	if _, err := newDriver(site.URL(), flowtest.Timeouts).Publish(ctx, req, (&platformtest.Recorder{}).Func); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	posts := site.Published()
	if len(posts) != 1 || !slices.Equal(posts[0].Tags, []string{"春天", "vlog"}) || posts[0].Description != "正文" {
		t.Fatalf("posts = %+v, want description 正文 and topics 春天, vlog", posts)
	}
	if len(warns) != 1 || warns[0].Step != "topics" || !strings.Contains(warns[0].Reason, xiaohongshutest.NoSuggestion) {
		t.Fatalf("warnings = %+v, want one for the topics naming the one left out", warns)
	}
}

// TestLoginQRImageURLIsScreenshotted: the fake shows its code as an image
// URL; the driver reports a screenshot of it, while a data URL is passed on
// as it is (SAU X:138-142).
func TestLoginQRImageURLIsScreenshotted(t *testing.T) {
	for _, asData := range []bool{false, true} {
		name := map[bool]string{false: "ImageURL", true: "DataURL"}[asData]
		t.Run(name, func(t *testing.T) {
			site := flowtest.Serve(t, xiaohongshutest.New)
			site.QRAsDataURL(asData)
			ctx := platformtest.NewTab(t, nil, 60*time.Second)
			var code, served string
			err := newDriver(site.URL(), flowtest.Timeouts).Login(ctx, func(c platform.Challenge) error {
				if c.Phase != platform.PhaseQRCode || code != "" {
					return nil
				}
				code = c.QRCode
				served = "data:image/png;base64," + base64.StdEncoding.EncodeToString(site.QRImage(newestQR(t, site)))
				return site.Scan(true)
			})
			if err != nil {
				t.Fatalf("Login: %v", err)
			}
			if asData {
				if code != served {
					t.Errorf("QR code = %.60q, want the page's data URL", code)
				}
				return
			}
			if code == served {
				t.Fatalf("QR code is the served PNG, want a screenshot of the image")
			}
			checkQRShot(t, code)
		})
	}
}

// newestQR is the token of the code the login page shows.
func newestQR(t *testing.T, site *xiaohongshutest.Site) string {
	t.Helper()
	resp, err := http.Get(site.URL() + "/__fake__/state")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st struct {
		Token string `json:"qr_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st.Token
}

// checkQRShot checks that dataURL is a PNG of the 200-pixel QR image with
// both its dark and light modules on it.
func checkQRShot(t *testing.T, dataURL string) {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(dataURL, "data:image/png;base64,"))
	if err != nil {
		t.Fatalf("QR code %.40q: %v", dataURL, err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("QR code: %v", err)
	}
	b := img.Bounds()
	if b.Dx() < 150 || b.Dy() < 150 || b.Dx() > 260 || b.Dy() > 260 {
		t.Errorf("QR screenshot is %v, want about the 200px image", b)
	}
	dark := darkShare(img)
	if dark < 0.2 || dark > 0.8 {
		t.Errorf("QR screenshot is %.0f%% dark, want a code, not a blank box", dark*100)
	}
}

func darkShare(img image.Image) float64 {
	b := img.Bounds()
	var dark, all int
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if (r+g+bl)/3 < 0x8000 {
				dark++
			}
			all++
		}
	}
	return float64(dark) / float64(all)
}

// TestCoverBrokenFailsNamingTheStep: a cover the request asks for is never
// a default; when its control is missing the publish fails naming it.
func TestCoverBrokenFailsNamingTheStep(t *testing.T) {
	site := flowtest.Serve(t, xiaohongshutest.New)
	site.BreakOption("cover", true)
	req := platformtest.Request("封面失败")
	req.CoverPath = testenv.Testdata("cover.png")
	_, posts, err := flowtest.Publish(t, site, newDriver(site.URL(), flowtest.Timeouts), req)
	if err == nil || !strings.Contains(err.Error(), "cover") {
		t.Fatalf("Publish = %v, want a failure naming the cover", err)
	}
	if len(posts) != 0 {
		t.Errorf("posts = %+v, want none", posts)
	}
}

// TestRepostDeclarationAskedFor: SAU's declaration, 来源转载 (X:469-521),
// is offered and picked when a request asks for it.
func TestRepostDeclarationAskedFor(t *testing.T) {
	site := flowtest.Serve(t, xiaohongshutest.New)
	req := platformtest.Request("转载声明")
	req.Declaration = "来源转载"
	_, posts, err := flowtest.Publish(t, site, newDriver(site.URL(), flowtest.Timeouts), req)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if len(posts) != 1 || posts[0].Declaration != "来源转载" {
		t.Fatalf("posts = %+v, want 来源转载", posts)
	}
}

// TestUnofferedDefaultDeclarationWarns: a configured default the list does
// not offer is skipped with a warning (SAU swallows a failed declaration,
// X:516-521), and the publish goes on.
func TestUnofferedDefaultDeclarationWarns(t *testing.T) {
	site := flowtest.Serve(t, xiaohongshutest.New)
	d := xiaohongshu.New(xiaohongshu.Config{BaseURL: site.URL(), Timeouts: flowtest.Timeouts, Declaration: "内容取材网络"})
	var (
		mu    sync.Mutex
		warns []platform.Warning
	)
	ctx := platform.WithWarner(platformtest.NewTab(t, site.SessionCookies(), 60*time.Second), func(_ context.Context, w platform.Warning) {
		mu.Lock()
		defer mu.Unlock()
		warns = append(warns, w)
	})
	if _, err := d.Publish(ctx, platformtest.Request("默认声明不存在"), (&platformtest.Recorder{}).Func); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if posts := site.Published(); len(posts) != 1 || posts[0].Declaration != "" {
		t.Fatalf("posts = %+v, want one without a declaration", posts)
	}
	if len(warns) != 1 || warns[0].Step != "declaration" || !strings.Contains(warns[0].Reason, "来源转载") {
		t.Fatalf("warnings = %+v, want one for the declaration listing what is offered", warns)
	}
}
