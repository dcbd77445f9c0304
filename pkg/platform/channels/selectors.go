package channels

// Everything the driver knows about the pages of channels.weixin.qq.com
// (视频号助手) lives here, so a redesign of the site is fixed in one file.
// The values follow the reference uploader (social-auto-upload,
// tencent_uploader); where it tries several selectors in turn, so does the
// driver, in the same order. Names marked "assumed" are not in the reference
// and were chosen to match the site's weui-desktop conventions.

// URL paths, relative to Config.BaseURL.
const (
	pathLogin  = "/login.html"
	pathHome   = "/platform"
	pathCreate = "/platform/post/create"
	pathList   = "/platform/post/list"
	// markLogin is in the URL of the login page every logged-out page
	// redirects to.
	markLogin  = "login.html"
	markCreate = "/post/create"
	markList   = "/post/list"
)

// Login page. The QR code sits in an iframe (/login-for-iframe on the same
// host, earlier an open.weixin.qq.com/connect/qrconnect frame); the driver
// searches every same-origin frame.
var qrImageSelectors = []string{
	`div.login-qrcode-wrap img.qrcode`,
	`div.qrcode-wrap img.qrcode`,
	`div#app img.qrcode`,
	`img.qrcode`,
}

// selLoginMarkers are on the login page only; a page that shows none of them
// under /platform is logged in.
const selLoginMarkers = `div.login-qrcode-wrap, div.qrcode-wrap, img.qrcode, iframe[src*="login-for-iframe"], iframe[src*="connect/qrconnect"]`

const (
	textLoginTitle = "微信扫码登录 视频号助手"
	selQRTip       = `div.qr-tip`
	selQRExpired   = `div.mask.show p.refresh-tip`
	selQRRefresh   = `div.mask.show div.refresh-wrap`
	// sessionCookie is the cookie a logged-in 视频号助手 session carries.
	sessionCookie = "sessionid"
)

// textsScanned show once the phone scanned the code but did not confirm.
var textsScanned = []string{"已扫码", "需在手机上进行确认"}

// textsExpired show on the mask over an expired code.
var textsExpired = []string{"二维码已过期，点击刷新", "网络不可用，点击刷新"}

// Home page: the entry to the publish form. A direct load of the form's URL
// may bounce to the home page, so the driver clicks through like a user.
const (
	selHomeButton = `button.weui-desktop-btn`
	textPostVideo = "发表视频"
)

// Publish form (in the /micro/content/post/create iframe or the page).
var fileInputSelectors = []string{
	`input[type="file"][accept*="video"]`,
	`div.upload-content input[type="file"]`,
}

const (
	selEditor     = `div.input-editor`
	selShortTitle = `input[placeholder="填写短标题有机会获得更多流量"]`
	// selMediaStatus holds the upload state: 上传中 N%, or the error.
	selMediaStatus  = `div.media-status-content`
	selUploadFailed = `div.status-msg.error`
	selDeleteUpload = `div.media-status-content div.tag-inner`
	textDelete      = "删除"
	selDialog       = `div.weui-desktop-dialog`
	selFormButton   = `div.form-btns button`
	textPublish     = "发表"
	textDraft       = "保存草稿"
	classDisabled   = "weui-desktop-btn_disabled"
	selToast        = `.weui-desktop-toast` // assumed
	// textRealName is the real-name check that blocks posting until the
	// account owner verifies in WeChat.
	selDialogWrap = `div.weui-desktop-dialog__wrp`
	textRealName  = "实名验证"
)

// selOverlays are dialogs that cover the form and swallow clicks (switch
// account prompts, masks); the reference removes them before submitting.
const selOverlays = `.changeAccount-dialog, .common-dialog`

// Short title (短标题).
const (
	minShortTitle = 7
	maxShortTitle = 15
	// shortTitlePad fills a short title below the minimum.
	shortTitlePad = "，精彩内容分享"
	// shortTitleSpecial are the characters kept besides letters and digits.
	shortTitleSpecial = "《》“”:+?%°"
)

// Video label (视频标注), the platform's self-declaration.
const (
	textLabelEntry = "选择视频标注"
	// selLabelOptions is the open dropdown of labels (assumed).
	selLabelOptions = `div.weui-desktop-dropdown__list`
	selLabelOption  = `div.weui-desktop-dropdown__list-ele`
	// DefaultDeclaration is the label used when neither the request nor the
	// Config names one: videos Fanout publishes are often generated.
	DefaultDeclaration = "含AI生成内容"
)

// declarationAliases maps other platforms' wording of a declaration to this
// site's label with the same meaning.
var declarationAliases = map[string]string{"内容由AI生成": DefaultDeclaration}

// Cover: the 3:4 personal-page card (个人主页卡片).
const (
	selCoverEntry   = `div.vertical-cover-wrap`
	textCoverEntry  = "个人主页卡片"
	selCoverInput   = `.single-cover-uploader-wrap input[type="file"]`
	selDialogFooter = `div.weui-desktop-dialog__ft button.weui-desktop-btn_primary`
	textConfirm     = "确认"
)

// textsCoverDialog title the cover dialog.
var textsCoverDialog = []string{"编辑个人主页卡片", "编辑封面"}

// Schedule (定时): a month/day picker and an hour.
const (
	selLabel        = `label`
	textScheduled   = "定时"
	selScheduleAt   = `input[placeholder="请选择发表时间"]`
	selPickerLabel  = `span.weui-desktop-picker__panel__label`
	selPickerNext   = `button.weui-desktop-btn__icon__right`
	selPickerPrev   = `button.weui-desktop-btn__icon__left`
	selPickerDay    = `table.weui-desktop-picker__table a`
	classDayOff     = "weui-desktop-picker__disabled"
	selScheduleHour = `input[placeholder="请选择时间"]`
	scheduleLayout  = "2006-01-02 15:04"
)

// Post list (assumed class names).
const (
	selListTitles = `div.post-feed-item div.post-title`
	selListLoaded = `div.post-feed-wrap, div.empty-wrap`
)

// maxDescription is the limit of the description editor (title, tags and
// text together).
const maxDescription = 1000

// maxTags is how many #tags the driver types.
const maxTags = 10
