// Package baijiahao drives the Baijiahao 百家号 creator site
// (baijiahao.baidu.com) with Baidu's passport login: QR-code login, the
// session check, video publishing and the after-the-fact check that a
// publish went through. It runs in a tab the caller prepared (see
// pkg/browser) and keeps no state between calls. Every wait is bounded and
// condition-based; there are no fixed sleeps.
//
// Baijiahao quirks the driver handles: the QR code is an image the
// passport serves by URL (reported as a screenshot of it); the video form
// has only a title, a contentEditable prefilled with the file's name, of
// 9–30 characters (a shorter one is refused before the page, never padded;
// the description and tags of a request have nowhere to go and are not
// sent); the upload shows a bare percentage; a cover is required — the
// one the request gives (选择封面 → 上传 → 确定), else the one the site makes
// after the upload; the 创作声明 is chosen in a modal; no scheduling;
// 百度安全验证 after the publish click is a captcha put to a person.
package baijiahao

import (
	"context"
	"fmt"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
)

// Config configures a Driver; the zero value drives the real site. It is
// flow.Settings: BaseURL (default https://baijiahao.baidu.com; a
// baijiahaotest fake in tests), Declaration (the 创作声明 chosen when a
// request names none, default DefaultDeclaration), Timeouts and
// UploadRetries (in-page retries of 上传失败, default 3). Location is
// unused: the site has no schedule.
type Config = flow.Settings

// Timeouts bound each kind of wait; zero fields take flow.DefaultTimeouts.
type Timeouts = flow.Timeouts

// Driver implements platform.Driver for Baijiahao.
type Driver struct {
	base        string
	declaration string
	to          Timeouts
	retries     int
}

var _ platform.Driver = (*Driver)(nil)

// New returns a driver for cfg.
func New(cfg Config) *Driver {
	s := cfg.WithDefaults(flow.Settings{BaseURL: "https://baijiahao.baidu.com", Declaration: DefaultDeclaration})
	return &Driver{base: s.BaseURL, declaration: s.Declaration, to: s.Timeouts, retries: s.UploadRetries}
}

// Name implements platform.Driver.
func (d *Driver) Name() platform.Name { return platform.Baijiahao }

// CheckLogin implements platform.Driver: the session is valid when the
// home page shows what a logged-in account sees and not 注册/登录百家号
// (§3.7 cookie check).
func (d *Driver) CheckLogin(ctx context.Context) (bool, error) {
	return page.CheckLogin(ctx, d.to, flow.Landing{URL: d.base + pathHome, Name: "home page", What: selHomeReady,
		Found: fmt.Sprintf(`!isLogin() && qa(%[1]s).some(vis) ? %[1]s : ''`, browser.JS(selHomeReady))})
}

// publishPage is the publish page, ready once it shows a video file input
// (the reference's selectors, in its order).
func (d *Driver) publishPage() flow.Landing {
	return flow.Landing{URL: d.base + pathPublish, Name: "publish page", What: selFileInputs[0],
		Found: fmt.Sprintf(`%s.find(s => q(s)) || ''`, flow.JSList(selFileInputs))}
}

// Declaration returns the 创作声明 a request asks for: decl, or def when
// decl is empty. Other platforms' wording of the AI label becomes this
// site's 含AI生成内容.
func Declaration(decl, def string) string {
	return flow.Declaration(decl, def, declarationAliases)
}

// page is the site's script library (see flow.Page): isLogin() is the
// login page or a page offering 注册/登录百家号, and clear() has nothing to
// remove.
var page = flow.NewPage("baijiahao", flow.Script{
	IsLogin: `location.pathname.startsWith(` + browser.JS(pathLogin) + `) || !!findText(` + browser.JS(textLoggedOut) + `, false)`,
})

// evalJS evaluates expr with the page library in scope and decodes its value.
func evalJS[T any](ctx context.Context, expr string) (T, error) { return flow.Eval[T](ctx, page, expr) }
