package xiaohongshu

// Everything the driver knows about the pages of creator.xiaohongshu.com
// lives here, so a redesign of the site is fixed in one file. The values
// follow the reference uploader (social-auto-upload, xiaohongshu_uploader);
// where it tries several selectors in turn, so does the driver, in the same
// order.

// URL paths, relative to Config.BaseURL.
const (
	pathLogin   = "/login"
	pathPublish = "/publish/publish?from=homepage&target=video"
	// markSuccess is in the URL of the page an accepted publish lands on.
	markSuccess = "/publish/success"
	pathManage  = "/new/note-manager"
)

// Login page.
const (
	selLoginBox = `div[class*='login-box']`
	// selLoginSwitch toggles the login box between SMS and the QR code.
	selLoginSwitch = `img.css-wemwzq`
	textScan       = "扫一扫"
	// textQRTitle heads the QR code; the image is in a div that follows
	// the title's parent.
	textQRTitle   = "APP扫一扫登录"
	textQRExpired = "二维码已过期"
	textQRRefresh = "点击刷新"
	// sessionCookie is the cookie a logged-in creator session carries.
	sessionCookie = "galaxy_creator_session_id"
)

// textsScanned show once the phone scanned the code but did not confirm yet.
var textsScanned = []string{"扫码成功", "请在手机上确认"}

// Upload and upload progress. The status card follows the file input.
const (
	selFileInput  = `div[class^='upload-content'] input[class='upload-input']`
	selPreview    = `div[class^='upload-content'] input.upload-input ~ div[class*="preview-new"]`
	textUploading = "上传中"
	textFailed    = "上传失败"
)

// textsUploaded mean the upload is done when the status card shows one (the
// reference uploader's list, without the ones a failed card shows too).
var textsUploaded = []string{"上传成功", "分辨率", "编辑封面", "已上传", "100%"}

// Note form.
const (
	selTitle = `input[placeholder*="填写标题"]`
	// selDescription is the empty editor's first paragraph; the driver
	// marks its editable ancestor, which keeps working once text is typed.
	selDescription = `p[data-placeholder*="输入正文描述"]`
	selEditable    = `[contenteditable="true"]`
	selTopicList   = `#creator-editor-topic-container`
	selTopicItem   = `.item`
	textPublish    = "发布"
	selToast       = `.d-toast`
	// maxTitle, maxTags and maxDescription are the site's limits.
	maxTitle       = 20
	maxTags        = 10
	maxDescription = 1000
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
	// selDeclarationOptions are the entries of the list the entry opens.
	selDeclarationOptions = `#publish-container .d-grid-item`
	// textRepost asks for the media name (媒体名称) in a dialog.
	textRepost      = "来源转载"
	selRepostSource = `input[placeholder="请输入媒体名称"]`
	textConfirm     = "确认"
	// DefaultDeclaration is the declaration used when neither the request
	// nor the Config names one: videos Fanout publishes are often generated,
	// as for Douyin's default.
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

// Schedule (定时发布).
const (
	selScheduleCard   = `.custom-switch-card`
	selScheduleSwitch = `.d-switch`
	textSchedule      = "定时发布"
	selScheduleInput  = `.d-datepicker-input-filter input.d-text`
	scheduleLayout    = "2006-01-02 15:04"
)

// Manage page.
const (
	selManageTitles = `.note [class*="title"]`
	selManageLoaded = `[class*="notes"], [class*="empty"]`
)
