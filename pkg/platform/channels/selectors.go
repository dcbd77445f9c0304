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

// Login page. Since 2026 the QR code is in WeChat's qrconnect frame, on
// another origin (open.weixin.qq.com/connect/qrconnect, T:162-190); earlier
// it was in the same-origin /login-for-iframe (T:149-160). No script of the
// page can read a frame of another origin, so the driver reads the frame
// through the DevTools protocol (frame.go) and screenshots it for the
// person to scan.
var qrFrameSelectors = []string{
	`iframe[src*="connect/qrconnect"]`,
	`iframe[src*="login-for-iframe"]`,
}

// qrImageSelectors find the code inside the frame (or on the page, the
// reference's last resort, T:192-204), tried in order.
var qrImageSelectors = []string{
	`div.login-qrcode-wrap img.qrcode`,
	`div.qrcode-wrap img.qrcode`,
	`div#app img.qrcode`,
	`img.qrcode`,
}

// selLoginMarkers are on the login page only; a page that shows none of them
// under /platform is logged in.
const selLoginMarkers = `div.login-qrcode-wrap, div.qrcode-wrap, img.qrcode, iframe[src*="login-for-iframe"], iframe[src*="connect/qrconnect"]`

// The scanned and expired states, as the reference reads them on the
// login-for-iframe page (T:262-281); that the qrconnect frame shows the
// same is assumed.
const (
	textLoginTitle = "微信扫码登录 视频号助手"
	selQRTip       = `div.qr-tip`
	selQRExpired   = `div.mask.show p.refresh-tip`
	selQRRefresh   = `div.mask.show div.refresh-wrap`
	// sessionCookie is the cookie a logged-in 视频号助手 session carries.
	sessionCookie = "sessionid" // assumed
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
// The video input is the first file input of any frame (T:624-674); the
// ones that name a video type or sit in div.upload-content come first
// (assumed), and a cover dialog's input never counts.
var fileInputSelectors = []string{
	`input[type="file"][accept*="video"]`,   // assumed
	`div.upload-content input[type="file"]`, // assumed
	`input[type="file"]:not(.single-cover-uploader-wrap input)`,
}

const (
	selEditor = `div.input-editor`
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
	// selToast is the site's message; its error and success types are
	// told apart by flow.DefaultErrorToast (weui-desktop-toast_warn /
	// _success: assumed).
	selToast = `.weui-desktop-toast` // assumed
)

// selOverlays are dialogs that cover the form and swallow clicks (switch
// account prompts, masks); the reference removes them before submitting.
const selOverlays = `.changeAccount-dialog, .common-dialog`

// 实名验证: the site blocks posting until the account's admin verifies in
// WeChat (T:524-549). The driver asks a person and waits for the dialog to
// go. selRealNameCode and selRealNameOK are the fake's way to take the
// person's answer (assumed; the reference only waits).
const (
	selDialogWrap   = `div.weui-desktop-dialog__wrp`
	textRealName    = "实名验证"
	selRealNameCode = `input[type="text"]`                                          // assumed
	selRealNameOK   = `div.weui-desktop-dialog__ft button.weui-desktop-btn_primary` // assumed
)

// Collection (合集): the text 添加到合集, the div after it opens the list
// of .option-list-wrap .option-item, each with its .name (T:737-788).
const (
	textCollection    = "添加到合集"
	selCollectionItem = `.option-list-wrap .option-item`
	selCollectionName = `.name`
	selCollectionList = `.option-list-wrap`
)

// Short title (短标题): the input with the placeholder, else the
// `span input[type="text"]` in a div after the label's parent (T:676-693).
const (
	selShortTitle     = `input[placeholder="填写短标题有机会获得更多流量"]`
	textShortTitle    = "短标题"
	selShortTitleNext = `span input[type="text"]`
	minShortTitle     = 7
	maxShortTitle     = 15
	// shortTitlePad fills a short title below the minimum.
	shortTitlePad = "，精彩内容分享"
	// shortTitleSpecial are the characters kept besides letters and digits.
	shortTitleSpecial = "《》“”:+?%°"
)

// Video label (视频标注), the platform's self-declaration: the exact text
// 选择视频标注 opens it, the label's exact text picks it (T:790-808).
const (
	textLabelEntry = "选择视频标注"
	// selLabelOptions is the open dropdown of labels and selLabelOption
	// one label (assumed): they list the labels offered when the one asked
	// for is not.
	selLabelOptions = `div.weui-desktop-dropdown__list`
	selLabelOption  = `div.weui-desktop-dropdown__list-ele`
	// DefaultDeclaration is the label used when neither the request nor the
	// Config names one: videos Fanout publishes are often generated.
	DefaultDeclaration = "含AI生成内容"
)

// declarationAliases maps other platforms' wording of a declaration to this
// site's label with the same meaning.
var declarationAliases = map[string]string{"内容由AI生成": DefaultDeclaration}

// Covers (T:1063-1096): the 4:3 feed cover (视频号动态封面) and the 3:4
// personal-page card (个人主页卡片), each in its dialog.
const (
	selCoverLandscape  = `div.horizontal-cover-wrap`
	textCoverLandscape = "4:3"
	selCoverPortrait   = `div.vertical-cover-wrap`
	textCoverPortrait  = "个人主页卡片"
	selCoverInput      = `.single-cover-uploader-wrap input[type="file"]`
	selDialogFooter    = `div.weui-desktop-dialog__ft button.weui-desktop-btn_primary`
	textConfirm        = "确认"
	textCancel         = "取消" // assumed in the cover dialogs
)

// The cover dialogs' titles, tried in order.
var (
	textsLandscapeDialog = []string{"编辑视频号动态封面", "编辑动态封面", "编辑封面"}
	textsPortraitDialog  = []string{"编辑个人主页卡片", "编辑封面"}
)

// Schedule (定时): a month/day picker and an hour.
const (
	selLabel        = `label`
	textScheduled   = "定时"
	selScheduleAt   = `input[placeholder="请选择发表时间"]`
	selPickerLabel  = `span.weui-desktop-picker__panel__label`
	selPickerNext   = `button.weui-desktop-btn__icon__right`
	selPickerPrev   = `button.weui-desktop-btn__icon__left` // assumed
	selPickerDay    = `table.weui-desktop-picker__table a`
	classDayOff     = "weui-desktop-picker__disabled"
	selScheduleHour = `input[placeholder="请选择时间"]`
	scheduleLayout  = "2006-01-02 15:04" // the input's value, assumed
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
