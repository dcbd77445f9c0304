package xiaohongshu

// Everything the driver knows about the pages of creator.xiaohongshu.com
// lives here, so a redesign of the site is fixed in one file. The values
// follow the reference uploader (social-auto-upload, "SAU",
// uploader/xiaohongshu_uploader/main.py, cited as X:<line>); where it tries
// several selectors in turn, so does the driver, in the same order. What no
// working tool confirms is marked assumed.

import "time"

// URL paths, relative to Config.BaseURL.
const (
	pathLogin   = "/login"
	pathPublish = "/publish/publish?from=homepage&target=video"
	// markSuccess is in the URL of the page an accepted publish lands on
	// (X:26, X:689).
	markSuccess = "/publish/success"
	// pathManage lists the notes (assumed: no working tool looks there).
	pathManage = "/new/note-manager"
)

// Login page (X:27-28, X:94-116).
const (
	selLoginBox = `div[class*='login-box']`
	// selLoginSwitch toggles the login box between SMS and the QR code.
	selLoginSwitch = `img.css-wemwzq`
	textScan       = "扫一扫"
	// textQRTitle heads the QR code; the image is in a div that follows
	// the title's parent.
	textQRTitle = "APP扫一扫登录"
	// selQRMarked is the QR image the login probe marked, for the
	// screenshot of a code whose src is no data URL (X:138-142).
	selQRMarked = `img[data-fanout-qr]`
	// textQRExpired and textQRRefresh: assumed (SAU handles no expiry).
	textQRExpired = "二维码已过期"
	textQRRefresh = "点击刷新"
	// sessionCookie is the cookie a logged-in creator session carries
	// (assumed: SAU saves the whole storage state instead).
	sessionCookie = "galaxy_creator_session_id"
)

// textsScanned show once the phone scanned the code but did not confirm
// yet (assumed: SAU does not look).
var textsScanned = []string{"扫码成功", "请在手机上确认"}

// Upload and upload progress. The status card follows the file input
// (X:631-637). 上传中 and 上传失败 are assumed (SAU retries no failure on
// this site).
const (
	selFileInput  = `div[class^='upload-content'] input[class='upload-input']`
	selPreview    = `div[class^='upload-content'] input.upload-input ~ div[class*="preview-new"]`
	textUploading = "上传中"
	textFailed    = "上传失败"
)

// textsUploaded mean the upload is done when the status card shows one:
// the reference uploader's whole list (X:641). A failed card shows
// 点击重新上传 too, which is why the driver also checks it shows no
// 上传失败 (and no 上传中).
var textsUploaded = []string{"上传成功", "分辨率", "重新上传", "编辑封面", "已上传", "已选择", "100%"}

// Note form (X:411-462; 发布 X:688).
const (
	selTitle = `input[placeholder*="填写标题"]`
	// selDescription is the empty editor's first paragraph; the driver
	// marks its editable ancestor, which keeps working once text is typed.
	selDescription = `p[data-placeholder*="输入正文描述"]`
	selEditable    = `[contenteditable="true"]`
	selTopicList   = `#creator-editor-topic-container`
	selTopicItem   = `.item`
	textPublish    = "发布"
	// selPublishButton is the 2026 publish button, <button class="ce-btn
	// bg-red">发布</button> (xiaohongshu-mcp PR #696).
	selPublishButton = `button.bg-red`
	// selToast are the site's messages (assumed: no working tool reads
	// them; the error and success types are told apart by
	// flow.DefaultErrorToast).
	selToast = `.d-toast`
	// maxTitle, maxTags and maxDescription are the site's limits (title
	// X:413, tags X:431; the description's is assumed).
	maxTitle       = 20
	maxTags        = 10
	maxDescription = 1000
	// topicWait bounds the wait for a topic's suggestion list (X:448-453:
	// 6 s for the list, then 4 s for its first item).
	topicWait = 6 * time.Second
)

// Cover (设置封面).
var coverEntrySelectors = []string{`div.upload-cover`, `div.cover-plugin-preview div.default.pointer`}

const (
	textCoverSection  = "设置封面"
	textUploadCover   = "上传封面"
	selCoverModal     = `div.d-modal`
	selCoverFileInput = `div.upload-wrapper input[type="file"][accept*="image"]`
	selAnyImageInput  = `input[type="file"][accept*="image"]`
	selModalFooter    = `div.d-modal-footer`
	textCoverConfirm  = "确定"
)

// Content-type declaration (内容类型声明).
const (
	textDeclarationEntry = "添加内容类型声明"
	selPublishContainer  = `#publish-container`
	// selDeclarationOptions are the entries of the list the entry opens
	// (assumed: SAU picks 来源转载 by its text among the form's divs,
	// X:490-492; its unmerged PR #176 uses div.d-select-wrapper).
	selDeclarationOptions = `#publish-container .d-grid-item`
	// textRepost asks for the media name (媒体名称) in a dialog.
	textRepost      = "来源转载"
	selRepostSource = `input[placeholder="请输入媒体名称"]`
	textConfirm     = "确认"
	// DefaultDeclaration is the declaration used when neither the request
	// nor the Config names one: videos Fanout publishes are often generated,
	// as for Douyin's default. SAU always declares 来源转载 instead (X:469);
	// this option's text is assumed. A default that fails is skipped with
	// a warning, as SAU swallows its errors (X:516-521).
	DefaultDeclaration = "笔记含AI合成内容"
)

// declarationAliases maps other platforms' wording of a declaration to this
// site's option with the same meaning, so one declaration serves a publish
// to several platforms.
var declarationAliases = map[string]string{
	"内容由AI生成":              DefaultDeclaration, // Douyin
	"含AI生成内容":              DefaultDeclaration, // WeChat Channels
	"内容为AI生成":              DefaultDeclaration, // Kuaishou
	"AI-generated content": DefaultDeclaration, // TikTok
	"虚构演绎仅供娱乐":             "虚构演绎，仅供娱乐",
}

// Schedule (定时发布, X:680-681; platform-flows.md §3.4 step 8).
const (
	selScheduleCard   = `.custom-switch-card`
	selScheduleSwitch = `.d-switch`
	textSchedule      = "定时发布"
	selScheduleInput  = `.d-datepicker-input-filter input.d-text`
	scheduleLayout    = "2006-01-02 15:04"
)

// Manage page (assumed, as pathManage).
const (
	selManageTitles = `.note [class*="title"]`
	selManageLoaded = `[class*="notes"], [class*="empty"]`
)
