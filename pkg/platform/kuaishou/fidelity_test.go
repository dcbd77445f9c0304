package kuaishou_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow/flowtest"
	"fanout/pkg/platform/kuaishou"
	"fanout/pkg/platform/kuaishou/kuaishoutest"
	"fanout/pkg/platform/platformtest"
	"fanout/pkg/testenv"
	"fanout/pkg/web"
)

// The cases here show that the fake asks for what the real site does (so a
// driver that skips it fails) and that the driver does it.

const uploadButton = `button[class^='_upload-btn']`

// openForm opens the upload page, picks the sample video in the chooser the
// upload button opens, and closes the notice and the tour with pointer
// clicks, as a person would.
func openForm(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	if err := browser.Navigate(ctx, 10*time.Second, "open", base+"/article/publish/video"); err != nil {
		t.Fatal(err)
	}
	if err := browser.WaitVisible(ctx, 5*time.Second, "button", uploadButton); err != nil {
		t.Fatal(err)
	}
	click := func(ctx context.Context) error { return pointerClick(ctx, uploadButton) }
	if err := browser.ChooseFiles(ctx, 5*time.Second, "file", uploadButton, click, testenv.Testdata("sample.mp4")); err != nil {
		t.Fatal(err)
	}
	for _, b := range []string{`#notice button`, `#react-joyride-step-0 [data-action="skip"]`} {
		if err := browser.WaitVisible(ctx, 5*time.Second, "close", b); err != nil {
			t.Fatal(err)
		}
		if err := pointerClick(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	if err := browser.Focus(ctx, "focus", "#work-description-edit"); err != nil {
		t.Fatal(err)
	}
}

func pointerClick(ctx context.Context, css string) error {
	return browser.ClickJS(ctx, "click", css, `document.querySelector(`+browser.JS(css)+`)`)
}

func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := browser.Eval[T](ctx, expr)
	if err != nil {
		t.Fatalf("eval %s: %v", expr, err)
	}
	return v
}

// TestUploadButtonOpensTheFileChooser: the upload page has no file input
// before its button is clicked, and a script's click opens no chooser; a
// pointer click does, and the video picked there starts the upload.
func TestUploadButtonOpensTheFileChooser(t *testing.T) {
	site := flowtest.Serve(t, kuaishoutest.New)
	ctx := platformtest.NewTab(t, site.SessionCookies(), 30*time.Second)
	if err := browser.Navigate(ctx, 10*time.Second, "open", site.URL()+"/article/publish/video"); err != nil {
		t.Fatal(err)
	}
	if err := browser.WaitVisible(ctx, 5*time.Second, "button", uploadButton); err != nil {
		t.Fatal(err)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('input[type=file][accept*="video"]').length`); n != 0 {
		t.Fatalf("%d file inputs before the click, want none", n)
	}
	scripted := func(ctx context.Context) error {
		_, err := browser.Eval[bool](ctx, `(document.querySelector(`+browser.JS(uploadButton)+`).click(), true)`)
		return err
	}
	var se *web.SelectorError
	if err := browser.ChooseFiles(ctx, time.Second, "file", uploadButton, scripted, testenv.Testdata("sample.mp4")); !errors.As(err, &se) {
		t.Fatalf("a script's click: ChooseFiles = %v, want no chooser", err)
	}
	click := func(ctx context.Context) error { return pointerClick(ctx, uploadButton) }
	if err := browser.ChooseFiles(ctx, 5*time.Second, "file", uploadButton, click, testenv.Testdata("sample.mp4")); err != nil {
		t.Fatalf("a pointer click: %v", err)
	}
	if err := browser.WaitVisible(ctx, 5*time.Second, "form", "#work-description-edit"); err != nil {
		t.Fatalf("the chosen video did not open the form: %v", err)
	}
}

// TestTopicsFormOneAtATime: #words typed in one go stay text, so does a
// #word whose space comes before the site's suggestions; one picked with a
// space once they show becomes a topic.
func TestTopicsFormOneAtATime(t *testing.T) {
	site := flowtest.Serve(t, kuaishoutest.New)
	ctx := platformtest.NewTab(t, site.SessionCookies(), 30*time.Second)
	openForm(t, ctx, site.URL())
	topics := `Array.from(document.querySelectorAll('#work-description-edit [data-topic]')).map(e => e.dataset.topic)`
	suggested := `!document.querySelector('#topic-suggest').hidden`
	if err := browser.InsertText(ctx, "#一 #二 #三 "); err != nil {
		t.Fatal(err)
	}
	if err := browser.InsertText(ctx, "#四"); err != nil { // its space comes at once
		t.Fatal(err)
	}
	early := !eval[bool](t, ctx, suggested)
	if err := browser.Press(ctx, browser.KeySpace); err != nil {
		t.Fatal(err)
	}
	time.Sleep(600 * time.Millisecond) // longer than the fake's topic search
	got := eval[[]string](t, ctx, topics)
	switch {
	case !early:
		// A machine so slow that the suggestions came before the space.
		t.Logf("the space came after the suggestions; topics %v", got)
	case len(got) != 0:
		t.Fatalf("topics %v from text typed without waiting, want none", got)
	}
	if err := browser.Press(ctx, browser.KeyEnter); err != nil {
		t.Fatal(err)
	}
	if err := browser.InsertText(ctx, "#五"); err != nil {
		t.Fatal(err)
	}
	if err := browser.Until(ctx, 3*time.Second, "suggest", "#topic-suggest", func(ctx context.Context) (bool, error) {
		return browser.Eval[bool](ctx, suggested)
	}); err != nil {
		t.Fatal(err)
	}
	if err := browser.Press(ctx, browser.KeySpace); err != nil {
		t.Fatal(err)
	}
	if got := eval[[]string](t, ctx, topics); len(got) == 0 || got[len(got)-1] != "五" || slices.Contains(got, "一") {
		t.Fatalf("topics %v, want 五 last and none of the text typed in one go", got)
	}
}

// TestPlainHashWordsAreNoTopics: a #word in the description is text; only
// the tags the driver made topics are the post's.
func TestPlainHashWordsAreNoTopics(t *testing.T) {
	site := flowtest.Serve(t, kuaishoutest.New)
	req := platformtest.Request("描述里的井号")
	req.Description = "今天 #不是话题 的视频"
	req.Tags = []string{"一", "二"}
	_, posts, err := flowtest.Publish(t, site, newDriver(site.URL(), flowtest.Timeouts), req)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if len(posts) != 1 || !slices.Equal(posts[0].Tags, req.Tags) || posts[0].Description != req.Description {
		t.Fatalf("posts = %+v, want tags %v and description %q", posts, req.Tags, req.Description)
	}
}

// TestSelectsOpenOnMousedown: 作者声明 and 加入合集 ignore a script's click
// and open on a pointer's mousedown.
func TestSelectsOpenOnMousedown(t *testing.T) {
	site := flowtest.Serve(t, kuaishoutest.New)
	ctx := platformtest.NewTab(t, site.SessionCookies(), 30*time.Second)
	openForm(t, ctx, site.URL())
	for sel, drop := range map[string]string{"#decl-select": "#decl-dropdown", "#collection-select": "#collection-dropdown"} {
		selector := sel + " .ant-select-selector"
		open := `!document.querySelector(` + browser.JS(drop) + `).hidden`
		eval[bool](t, ctx, `(document.querySelector(`+browser.JS(selector)+`).click(), true)`)
		eval[bool](t, ctx, `(document.querySelector(`+browser.JS(selector)+`).dispatchEvent(new MouseEvent('mousedown', {bubbles: true})), true)`)
		if eval[bool](t, ctx, open) {
			t.Fatalf("%s opened on a script's events", sel)
		}
		if err := pointerClick(ctx, selector); err != nil {
			t.Fatal(err)
		}
		if !eval[bool](t, ctx, open) {
			t.Fatalf("%s did not open on a pointer click", sel)
		}
		if err := pointerClick(ctx, selector); err != nil { // closes it again
			t.Fatal(err)
		}
	}
}

// TestTourSwallowsClicksUntilSkipped: with the tour's overlay removed (as a
// script does) but its step still showing, the form ignores pointer clicks;
// the notice is a modal over everything.
func TestTourSwallowsClicksUntilSkipped(t *testing.T) {
	site := flowtest.Serve(t, kuaishoutest.New)
	ctx := platformtest.NewTab(t, site.SessionCookies(), 30*time.Second)
	if err := browser.Navigate(ctx, 10*time.Second, "open", site.URL()+"/article/publish/video"); err != nil {
		t.Fatal(err)
	}
	if err := browser.WaitVisible(ctx, 5*time.Second, "button", uploadButton); err != nil {
		t.Fatal(err)
	}
	click := func(ctx context.Context) error { return pointerClick(ctx, uploadButton) }
	if err := browser.ChooseFiles(ctx, 5*time.Second, "file", uploadButton, click, testenv.Testdata("sample.mp4")); err != nil {
		t.Fatal(err)
	}
	if err := browser.WaitVisible(ctx, 5*time.Second, "notice", "#notice button"); err != nil {
		t.Fatal(err)
	}
	covered := `(() => { const b = document.querySelector('#cover-entry').getBoundingClientRect();
const at = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2); return !!at && !!at.closest('#notice'); })()`
	if !eval[bool](t, ctx, covered) {
		t.Fatal("the notice does not cover the form")
	}
	if err := pointerClick(ctx, "#notice button"); err != nil {
		t.Fatal(err)
	}
	eval[bool](t, ctx, `(document.querySelectorAll('#react-joyride-portal, .react-joyride__spotlight').forEach(e => e.remove()), true)`)
	coverOpen := `!document.querySelector('#cover-root').hidden`
	if err := pointerClick(ctx, "#cover-entry"); err != nil {
		t.Fatal(err)
	}
	if eval[bool](t, ctx, coverOpen) {
		t.Fatal("a click reached the form while the tour's step shows")
	}
	if err := pointerClick(ctx, `#react-joyride-step-0 [data-action="skip"]`); err != nil {
		t.Fatal(err)
	}
	if err := pointerClick(ctx, "#cover-entry"); err != nil {
		t.Fatal(err)
	}
	if !eval[bool](t, ctx, coverOpen) {
		t.Fatal("a click did not reach the form after the tour was skipped")
	}
}

func TestPublishToCollection(t *testing.T) {
	site := flowtest.Serve(t, kuaishoutest.New)
	req := platformtest.Request("加入合集")
	req.Collection = "美食探店"
	_, posts, err := flowtest.Publish(t, site, newDriver(site.URL(), flowtest.Timeouts), req)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if len(posts) != 1 || posts[0].Collection != req.Collection {
		t.Fatalf("posts = %+v, want one in the collection %s", posts, req.Collection)
	}
}

// TestOptionFailures: an asked-for collection or declaration whose control
// is gone fails the publish naming the step; a configured default
// declaration that fails is skipped with one warning and the post is made.
func TestOptionFailures(t *testing.T) {
	for _, c := range []struct {
		name, option string
		edit         func(*platform.PublishRequest)
		def          string
		wantErr      bool
	}{
		{"AskedCollection", "collection", func(r *platform.PublishRequest) { r.Collection = "旅行日记" }, "", true},
		{"AskedDeclaration", "declaration", func(r *platform.PublishRequest) { r.Declaration = "素材来源于网络" }, "", true},
		{"DefaultDeclaration", "declaration", func(*platform.PublishRequest) {}, "内容为AI生成", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			site := flowtest.Serve(t, kuaishoutest.New)
			site.BreakOption(c.option, true)
			d := kuaishou.New(kuaishou.Config{BaseURL: site.URL(), PassportURL: site.URL(), Timeouts: flowtest.Timeouts, Declaration: c.def})
			req := platformtest.Request("选项失败")
			c.edit(&req)
			var (
				mu    sync.Mutex
				warns []platform.Warning
			)
			ctx := platform.WithWarner(platformtest.NewTab(t, site.SessionCookies(), 60*time.Second), func(_ context.Context, w platform.Warning) {
				mu.Lock()
				defer mu.Unlock()
				warns = append(warns, w)
			})
			_, err := d.Publish(ctx, req, (&platformtest.Recorder{}).Func)
			posts := site.Published()
			if c.wantErr {
				if err == nil || !strings.Contains(err.Error(), c.option) || len(posts) != 0 {
					t.Fatalf("Publish = %v with posts %+v, want a failure naming %s and no post", err, posts, c.option)
				}
				return
			}
			if err != nil || len(posts) != 1 || posts[0].Declaration != "" {
				t.Fatalf("Publish = %v with posts %+v, want one post without a declaration", err, posts)
			}
			if len(warns) != 1 || warns[0].Step != c.option {
				t.Fatalf("warnings %+v, want one for %s", warns, c.option)
			}
		})
	}
}

// TestDriverClicksOnlyWithThePointer: no script the driver evaluates calls
// element.click(); the fake ignores such clicks (TrustedInput).
func TestDriverClicksOnlyWithThePointer(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	click := regexp.MustCompile(`\.click\(\)`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if click.Match(b) {
			t.Errorf("%s calls .click() in a script", f)
		}
	}
}
