package douyin

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/douyin/douyintest"
	"fanout/pkg/platform/flow"
	"fanout/pkg/platform/flow/flowtest"
	"fanout/pkg/platform/platformtest"
	"fanout/pkg/testenv"
	"fanout/pkg/web"
)

// TestFakeNeedsWhatTheSiteNeeds checks that the fake asks for what the real
// site does (a driver that skips it fails its own suite): the cover entry
// shows only while the cover area is hovered and a click on the area's
// middle misses it; a script's click does nothing; 完成 in the cover dialog
// asks to confirm; the SMS check wants 获取验证码 before 验证.
func TestFakeNeedsWhatTheSiteNeeds(t *testing.T) {
	site := flowtest.Serve(t, douyintest.New)
	site.RequireVerification("112233")
	d := New(Config{BaseURL: site.URL(), Timeouts: flowtest.Timeouts})
	ctx := platformtest.NewTab(t, site.SessionCookies(), 60*time.Second)
	req := platformtest.Request("假站点")
	in, err := page.OpenUpload(ctx, d.to, d.uploadPage())
	if err == nil {
		err = browser.SetFiles(ctx, d.to.Element, "upload.file", in, req.VideoPath)
	}
	if err == nil {
		err = d.waitForm(ctx, nil)
	}
	if err == nil {
		err = d.waitUpload(ctx, &flow.Run{Req: req, Report: func(platform.Step, int) error { return nil }})
	}
	if err != nil {
		t.Fatalf("reach the form: %v", err)
	}
	// never waits a moment for cond and fails if it turns true.
	never := func(what, cond string) {
		t.Helper()
		var se *web.SelectorError
		if err := page.Wait(ctx, 700*time.Millisecond, "check", what, cond); !errors.As(err, &se) {
			t.Fatalf("%s: %v, want it not to happen", what, err)
		}
	}

	if ok, err := evalJS[bool](ctx, coverEntry+" !== null"); err != nil || ok {
		t.Fatalf("cover entry visible before a hover: %v, %v", ok, err)
	}
	if _, err := evalJS[bool](ctx, `(document.querySelector('.cover-entry-Lm3').click(), true)`); err != nil {
		t.Fatal(err)
	}
	never("a script's click opens the cover dialog", coverDialog)
	if err := page.Click(ctx, "check", "cover area", coverArea); err != nil {
		t.Fatal(err)
	}
	never("a click on the cover area's middle opens the dialog", coverDialog)
	if err := d.openCover(ctx); err != nil {
		t.Fatalf("hover, then click the entry: %v", err)
	}

	if err := browser.SetFiles(ctx, d.to.Element, "cover.file", selCoverModal+" "+selCoverInput, testenv.Testdata("cover.png")); err != nil {
		t.Fatal(err)
	}
	done := fmt.Sprintf(`(m => { const b = m && findIn('button', '完成', true, m); return b && !b.classList.contains(%q) ? b : null; })(%s)`, classDisabled, coverDialog)
	if err := page.WaitClick(ctx, d.to.Element, "check", "完成", done); err != nil {
		t.Fatal(err)
	}
	if err := page.Wait(ctx, d.to.Element, "check", "a confirmation", `!!findText('确定完成吗', false)`); err != nil {
		t.Fatalf("完成 asks nothing: %v", err)
	}
	if ok, err := evalJS[bool](ctx, `!!`+coverDialog); err != nil || !ok {
		t.Fatalf("the cover dialog closed before the confirmation: %v, %v", ok, err)
	}
	if err := page.Click(ctx, "check", "确定", `findIn('.confirm-portal button', '确定', true)`); err != nil {
		t.Fatal(err)
	}
	if err := page.Wait(ctx, d.to.Element, "check", "cover dialog closed", "!"+coverDialog); err != nil {
		t.Fatal(err)
	}

	// Publish: the SMS check opens; 验证 without 获取验证码 is refused.
	if err := page.Click(ctx, "check", "发布", `findIn('button', '发布', true)`); err != nil {
		t.Fatal(err)
	}
	if err := page.Wait(ctx, d.to.Publish, "check", "SMS check", smsUnsent); err != nil {
		t.Fatalf("no SMS check: %v", err)
	}
	if err := browser.Fill(ctx, "check", `#sms-portal input`, site.VerificationCode()); err != nil {
		t.Fatal(err)
	}
	if err := page.Click(ctx, "check", "验证", `q('.uc-ui-verify_sms-verify_button')`); err != nil {
		t.Fatal(err)
	}
	if err := page.Wait(ctx, d.to.Element, "check", "请先获取验证码", `!!findText('请先获取验证码', true)`); err != nil {
		t.Fatalf("验证 before 获取验证码: %v", err)
	}
	if posts := site.Published(); len(posts) != 0 {
		t.Fatalf("posts = %+v, want none before the code was sent", posts)
	}
}
