package baijiahao

// Everything the driver knows about the pages of baijiahao.baidu.com and
// Baidu's passport lives here, so a redesign of the site is fixed in one
// file. The values follow platform-flows.md §3.7, taken from the reference
// uploader (social-auto-upload, uploader/baijiahao_uploader/main.py, cited
// B:<function>); where it tries several selectors in turn, so does the
// driver, in the same order. A value no working tool confirms is marked
// "assumed".

// URL paths, relative to Config.BaseURL (§3.7 URLs).
const (
	pathLogin   = "/builder/theme/bjh/login"
	pathHome    = "/builder/rc/home"
	pathPublish = "/builder/rc/edit?type=videoV2"
	// pathContent lists the account's content (FindPublished; its layout
	// is assumed).
	pathContent = "/builder/rc/content"
)

// marksPublished are the URL parts of the pages an accepted publish lands
// on (§3.7 URLs: /builder/rc/clue, /rc/content or /rc/home).
var marksPublished = []string{"/builder/rc/clue", "/rc/content", "/rc/home"}

// Login (§3.7 QR login) and the session check.
const (
	// textLogin is clicked (exact) to open the passport's login box.
	textLogin = "登录"
	// selQRImage is the QR code, an image the passport serves by URL. The
	// reference matches the prefix https://passport.baidu.com/v2/api/qrcode;
	// the driver matches the path, which the fake serves on its own host.
	selQRImage = `img[src*="/v2/api/qrcode"]`
	// selQRMarked is the QR image the login probe marked for its
	// screenshot.
	selQRMarked = `img[data-fanout-qr]`
	// The scanned and expired states and the refresh (assumed: Baidu's
	// passport box).
	textQRScanned = "扫描成功"
	textQRExpired = "二维码已失效"
	textQRRefresh = "点击刷新"
	// sessionCookie is the cookie of a Baidu login (B:_is_login_completed
	// takes BDUSS or STOKEN).
	sessionCookie = "BDUSS"
	// textLoggedOut on a page means the session is gone (§3.7 cookie
	// check).
	textLoggedOut = "注册/登录百家号"
	// selHomeReady is what the home shows a logged-in tab: its publish
	// entry (assumed).
	selHomeReady = `a[href*="/builder/rc/edit"]`
)

// Upload (§3.7 upload flow steps 1–3).
var selFileInputs = []string{
	`input[type="file"][accept*="video"]`, `input[type="file"][accept*="mp4"]`,
	`div[class^='video-main-container'] input[type='file']`, `input[type="file"]`,
}

const (
	selTitleEditor = `div[class*="contentEditable"]`
	textUploadFail = "上传失败"
	// noPercentAfter is how long the upload counts as done when the page
	// never showed a percentage (B:_wait_upload_complete: a small file may
	// be done at once).
	noPercentAfterMS = 15000
)

// Cover (§3.7 step 4).
const (
	selCoverEntry  = `[data-testid="select-cover"]`
	textCoverEntry = "选择封面"
	textCoverUp    = "上传"
	selCoverInput  = `input[type="file"][accept*="image"], input[type="file"][accept*="jpg"], input[type="file"][accept*="png"]`
	selAutoCover   = `div.cheetah-spin-container img`
)

// textsCoverConfirm close the cover dialog (step 4.4), in order.
var textsCoverConfirm = []string{"确定", "完成", "确认"}

// Declaration (§3.7 step 5).
const (
	selDeclInput = `input[placeholder="请选择创作声明"]`
	selModalWrap = `.cheetah-modal-wrap`
	textConfirm  = "确定"
	// selDeclOption is an option of the declaration modal (assumed: the
	// reference clicks the text).
	selDeclOption = `.cheetah-modal-wrap label, .cheetah-modal-wrap [role="radio"], .cheetah-modal-wrap [role="option"]`
	// DefaultDeclaration is the declaration chosen when a request names
	// none: the one the reference uploader always sets.
	DefaultDeclaration = "含AI生成内容"
)

// declarationAliases maps other platforms' wording of a declaration to this
// site's option with the same meaning, so one declaration serves a publish
// to several platforms.
var declarationAliases = map[string]string{
	"内容由AI生成":              DefaultDeclaration, // Douyin
	"内容为AI生成":              DefaultDeclaration, // Kuaishou
	"笔记含AI合成内容":            DefaultDeclaration, // Xiaohongshu
	"AI-generated content": DefaultDeclaration, // TikTok
}

// Collection (§3.7 step 6).
const (
	selSelect           = `.cheetah-select`
	textCollectionHint  = "选择同主题的合集"
	selSelectSearch     = `input.cheetah-select-selection-search-input`
	selCollectionOption = `[role="option"], .cheetah-select-item`
	selSelectedItem     = `.cheetah-select-selection-item`
)

// Publish (§3.7 step 7).
const (
	selPublishButton = `[data-testid="publish-btn"]`
	textPublish      = "发布"
	selToast         = `.cheetah-message-error, .cheetah-message-warning`
	// textCaptcha is Baidu's security check after the click.
	textCaptcha = "百度安全验证"
	// selCaptchaInput is where its characters are typed (assumed).
	selCaptchaInput = `.cheetah-modal-wrap input, input.vcode-input`
)

// Content list (FindPublished; assumed layout): it is loaded once it shows
// its list, and each item's title is a link.
const (
	selContentList  = `.client_pages_content_list`
	selContentTitle = `.client_pages_content_item .client_pages_content_title`
)
