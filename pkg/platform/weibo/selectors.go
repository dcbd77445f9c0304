package weibo

import "time"

// Everything the driver knows about the pages of weibo.com and
// passport.weibo.com lives here, so a redesign of the site is fixed in one
// file. The values follow platform-flows.md §3.9 and the original tool
// (social-auto-upload, uploader/weibo_uploader/main.py, cited W:<line>);
// where it tries several selectors in turn, so does the driver, in the same
// order. A value no working tool confirms is marked "assumed".

// URL paths. The home is relative to Config.BaseURL, the sign-in to
// Config.PassportURL.
const (
	pathHome = "/"
	// pathSignin is the passport's QR sign-in (§3.9 URLs, W:33), which
	// returns to the home once the code is confirmed.
	pathSignin = "/sso/signin?entry=miniblog&source=miniblog&url="
	// sessionCookie is the cookie a logged-in browser holds (§3.9 QR
	// login: "a SUB cookie exists").
	sessionCookie = "SUB"
)

// loginMarks are what a URL of a logged-out browser holds: the visitor
// page (newlogin) or the passport (§3.9 cookie check, W:224-230).
var loginMarks = []string{"newlogin", "passport", "/sso/signin"}

// textLogin is the visitor page's button: visible, exact, the session is
// gone (§3.9 cookie check, W:232-236).
const textLogin = "登录"

// QR sign-in (§3.9 QR login, W:86-92): the code's image, first match.
var qrImageSelectors = []string{`img[src*="qrcode"]`, `img[src*="qr"]`, `img[node-type="qrcode_img"]`, `.qrcode img`}

// The code's states and the refresh (assumed: the tool only waits).
const (
	selQRBox       = `.qrcode_box, .qrcode`
	textQRScanned  = "扫描成功"
	textQRExpired  = "二维码已失效"
	textQRRefresh  = "点击刷新"
	selQRMarked    = `[data-fanout-qr]`
	textScannedMsg = "扫描成功，请在手机上确认登录"
)

// Home: the 视频 entry, a span with that text, whose click opens the
// publish page in a new window (§3.9 step 1, W:373-383).
const textVideoEntry = "视频"

// Publish page (the popup).
const (
	// textUploadButton is the role button that opens the file chooser
	// (§3.9 step 2, W:385-396).
	textUploadButton = "上传视频"
	// selUploadDone is the block that shows once the upload is over: the
	// three state blocks are always in the DOM and only the current one
	// shows (§3.9 step 3, W:398-409).
	selUploadDone   = `div:has(> i.woo-font--check)`
	textUploadDone  = "上传完成"
	textUploading   = "上传中"
	textUploadError = "上传失败"
	// textReupload chooses the video again after a failure (assumed: the
	// tool gives up on 上传失败).
	textReupload = "重新上传"
	// selPercent holds the upload's percentage (assumed).
	selPercent = `[class*="_pct_"]`
)

// Declaration (§3.9 step 5, W:574-617): the trigger, the panel, an option
// (a button with the label's span), the footer's 确定.
const (
	selDeclTrigger     = `div[class*="_gap1_nsgmr"] .woo-pop-ctrl`
	selDeclPanel       = `div[class*="_panel_nsgmr"]`
	selDeclOption      = `button`
	selDeclFooter      = `div[class*="_footer_nsgmr"] button`
	selDeclCheckActive = `[class*="_checkActive"]`
	textConfirm        = "确定"
	// aiDeclaration is the site's wording of the AI label.
	aiDeclaration = "含AI生成内容"
)

// declarationAliases maps other platforms' wording of a declaration to this
// site's option with the same meaning. Only the AI label is the
// reference's; the other options' wording is assumed.
var declarationAliases = map[string]string{
	"内容由AI生成":              aiDeclaration, // Douyin
	"笔记含AI合成内容":            aiDeclaration, // Xiaohongshu
	"内容为AI生成":              aiDeclaration, // Kuaishou
	"AI-generated content": aiDeclaration, // TikTok
}

// Title (§3.9 step 6): its placeholder, 30 characters at most.
const (
	selTitle = `input[placeholder="填写标题（0～30个字）"]`
	maxTitle = 30
)

// Cover (§3.9 step 7, W:440-530): the link, the layer, its image input,
// the cropper's image and the 完成 button, clicked until the layer hides.
const (
	textCoverLink   = "上传封面"
	selLayer        = `div.wbpro-layer`
	textCoverLayer  = "编辑封面"
	selCoverInput   = `input[type="file"][accept*="jpg"]`
	selCropperImage = `.cropper-container img[src^="blob:"], .wb_cropper img[src^="blob:"]`
	selCoverDone    = `div.wbpro-layer-btn button`
	textCoverDone   = "完成"
	// coverClickEvery is how long one click on 完成 is given to close the
	// layer before the next (the tool clicks every 4s, W:500-515).
	coverClickEvery = 4 * time.Second
)

// coverErrors are the layer's failure texts (W:490-495).
var coverErrors = []string{"裁切失败", "上传失败", "图片格式", "封面上传失败", "重新上传", "格式不支持"}

// Collection (§3.9 step 8, W:695-745): the 合集 switch block, its rows
// whose read-only input holds name(共N集), and each row's checkbox.
const (
	selSwitchBlock    = `div[class*="_switch_"]`
	selSwitchTitle    = `div[class*="_tit1_"]`
	textCollection    = "合集"
	selSwitch         = `label.woo-switch-main`
	selCollectionRow  = `div[class*="_top2_"]`
	selCollectionName = `input[type="text"]`
	selRowCheckbox    = `label.woo-checkbox-main`
)

// Description (§3.9 step 9, W:669-689): the placeholder; the tags follow
// the text on their own line as #t1# #t2#.
const selDescription = `textarea[placeholder="有什么新鲜事想分享给大家？"]`

// Publish (§3.9 step 10, W:740-770): the button in its _check_ box, then
// the success layer with 再发一条视频 within a bounded wait.
const (
	selPublishBox   = `div[class*="_check_2z30i"]`
	textPublish     = "发布"
	textPublishMore = "再发一条视频"
	selSuccessLayer = `div[class*="_layer1_9a8j7"]`
	// selToast is the site's messages (woo toasts; assumed).
	selToast = `.woo-toast-main`
)

// Home feed (FindPublished): the user's posts, a video's title on its card
// (assumed: the tool never looks for a post after publishing).
const (
	selFeedLoaded = `[class*="Feed_list_"]`
	selFeedTitles = `[class*="card-video_title"]`
)
