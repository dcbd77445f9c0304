package douyin

import "time"

// Everything the driver knows about the pages of creator.douyin.com lives
// here, so a redesign of the site is fixed in one file. The values follow the
// reference uploader (social-auto-upload, douyin_uploader); where it tries
// several selectors in turn, so does the driver, in the same order.

// URL paths, relative to Config.BaseURL.
const (
	pathCreator   = "/creator-micro"
	pathUpload    = "/creator-micro/content/upload"
	pathPublishV1 = "/creator-micro/content/publish"
	pathPublishV2 = "/creator-micro/content/post/video"
	pathManage    = "/creator-micro/content/manage"
	// markUpload is what the URL keeps while the upload page is shown; a
	// logged-out tab is redirected away from it.
	markUpload = "content/upload"
	markManage = "/content/manage"
)

// Login page.
const (
	textQRLogin    = "扫码登录"
	textPhoneLogin = "手机号登录"
	textQRExpired  = "二维码失效"
	selQRRole      = `img[aria-label="二维码"]`
	// sessionCookie is the cookie a logged-in creator session carries.
	sessionCookie = "sessionid"
)

// qrImageSelectors find the QR code image; the first that matches wins.
var qrImageSelectors = []string{
	`div#animate_qrcode_container img[src^="data:image"]`,
	`div[class*="animate_qrcode_container"] img[src^="data:image"]`,
	`div[class*="scan_qrcode_login_content"] img[src^="data:image"]`,
	`img[aria-label="二维码"]`,
}

// textsScanned show once the phone scanned the code but did not confirm
// yet. Assumed: no working tool reads them.
var textsScanned = []string{"扫码成功", "请在手机上确认"}

// Upload page and upload progress.
var fileInputSelectors = []string{
	`input.upload-btn-input, div[class^='container'] input[accept]`,
	`div[class^='container'] input[type='file'], div[class^='container'] input.upload-input`,
	`div[class^='container'] input`,
}

const (
	selProgress     = `div.progress-div`
	selUploadFailed = `div.progress-div > div`
	textFailed      = "上传失败"
	selReupload     = `div.progress-div [class^="upload-btn-input"]`
	selUploadDone   = `[class^="long-card"] div`
	textUploadDone  = "重新上传"
	textUploading   = "上传中"
)

// Publish form.
const (
	selTitle       = `input[placeholder*="填写作品标题"]`
	selDescription = `div.zone-container[contenteditable="true"]`
	selPublish     = `button`
	textPublish    = "发布"
	// selToast is the text of a Semi toast; its box's type
	// (.semi-toast-error / -warning / -success) tells a refusal from the
	// 发布成功 an independent copy of Douyin's pages shows before it moves
	// on (issue 13). No working tool reads them: assumed.
	selToast = `.semi-toast-content`
	// maxTitle is the title limit in characters; the site cuts longer titles.
	maxTitle = 30
	// maxTags is how many #tags the site accepts on a video.
	maxTags = 5
)

// selOverlays are onboarding tours and mention pop-ups that cover the form
// and swallow clicks; the driver removes them before it clicks.
const selOverlays = `.shepherd-element, .shepherd-modal-overlay-container, [class*="mention-wrapper"]`

// Self-declaration (自主声明). The driver sets DefaultDeclaration when a
// request names none; SAU aborts when it cannot set one (D:660-664), the
// driver skips a default it cannot set with a warning. The entry is the
// first of these texts found, by containment, so that a label wrapped in
// other markup is found (D:500-506).
var declarationEntryTexts = []string{"请选择自主声明", "请选择声明类型", "添加自主声明", "自主声明", "作品声明"}

const (
	selModal              = `.semi-modal-content`
	textDeclarationDialog = "请选择声明类型"
	selDeclarationOption  = `label.semi-radio`
	selDeclarationText    = `.semi-radio-addon`
	selPrimaryButton      = `button.semi-button-primary`
	textConfirm           = "确定"
	// textCancel closes a dialog a failed step leaves open: the product
	// dialog's way out in SAU (D:427-430); assumed for the declaration's.
	textCancel = "取消"
	// DefaultDeclaration is the declaration used when neither the request
	// nor the Config names one: videos Fanout publishes are often generated.
	DefaultDeclaration = "内容由AI生成"
)

// Cover (封面), SAU D:816-968: the entry shows while the cover area is
// hovered; the dialog has a tab per orientation (设置竖封面 first), and 完成
// may ask to confirm once more. The tabs' active mark is not confirmed
// (assumed: a class with active/selected, or aria-selected).
var coverEntryTexts = []string{"编辑封面", "选择封面", "设置封面"}

// coverConfirmTexts are the buttons of the confirmation after 完成.
var coverConfirmTexts = []string{"确定", "确认", "仍然完成", "仍要完成", "继续"}

const (
	// selCoverAreaImg is the cover area holding the preview; selCoverArea
	// the fallback.
	selCoverAreaImg = `[class*="cover-"]:has(img)`
	selCoverArea    = `[class*="cover"]`
	selCoverModal   = `div.dy-creator-content-modal`
	selCoverInput   = `.semi-upload:has(.semi-upload-drag-area-main-text) input.semi-upload-hidden-input`
	selCoverInputs  = `input.semi-upload-hidden-input`
	textCoverDone   = "完成"
	textPortrait    = "设置竖封面"
	textLandscape   = "设置横封面"
	classDisabled   = "semi-button-disabled"
	// coverOpenTries is how often the entry is hovered and clicked before
	// the dialog counts as not opening (a click right after the upload
	// may land while the page still settles).
	coverOpenTries = 5
	// coverDoneTries is how often 完成 is clicked before the dialog counts
	// as not closing.
	coverDoneTries = 4
)

// A publish without a cover is refused with textCoverRequired; the driver
// then applies the first recommended frame, confirming it (D:795-814).
const (
	textCoverRequired = "请设置封面后再发布"
	selRecommendCover = `[class^="recommendCover-"]`
	textApplyCover    = "是否确认应用此封面？"
	selConfirmButton  = `button, [role="button"]`
	selModalContent   = `.semi-modal-content`
	// recommendConfirmWait bounds the wait for 是否确认应用此封面？, which
	// the site shows only sometimes (SAU looks after 1 s).
	recommendConfirmWait = 5 * time.Second
)

// 合集 (collection), SAU D:697-746.
const (
	selCollectionSelect = `[class*="select-collection-"] .semi-select-selection`
	selCollectionOption = `.semi-select-option.collection-option`
	selCollectionTitle  = `[class*="option-title-"]`
)

// 头条/西瓜 sync switch, SAU D:1062-1065: turned on when it is off.
const (
	selSyncSwitch  = `[class^="info"] > [class^="first-part"] div div.semi-switch`
	selSyncControl = `input.semi-switch-native-control`
	classChecked   = "semi-switch-checked"
)

// SMS check during publish (SAU D:748-778, 1077-1093): a visible code
// input, 获取验证码 to send the code, 验证 to submit it.
var selSMSInputs = []string{`input[placeholder*="验证码"]`, `input[type="tel"]`, `input[placeholder*="短信"]`, `input[placeholder*="手机号"]`}

const (
	textSendCode = "获取验证码"
	selVerifyBtn = `div.uc-ui-verify_sms-verify_button`
	textVerify   = "验证"
	selSMSDialog = `.semi-modal-content, [class*="verify_sms"], [role="dialog"]` // assumed: SAU names no container
	selSMSError  = `[class*="error"]`                                            // assumed: how a wrong code shows
)

// Schedule (定时发布).
const (
	selScheduleRadio = `[class^='radio']`
	textSchedule     = "定时发布"
	selScheduleInput = `.semi-input[placeholder="日期和时间"]`
	scheduleLayout   = "2006-01-02 15:04"
)

// Shopping-cart product link.
const (
	textAddTag      = "添加标签"
	selSelect       = `.semi-select`
	selListbox      = `[role="listbox"]`
	selOption       = `[role="option"]`
	textCart        = "购物车"
	selProductLink  = `input[placeholder="粘贴商品链接"]`
	textAddLink     = "添加链接"
	textNoProduct   = "未搜索到对应商品"
	selProductTitle = `input[placeholder="请输入商品短标题"]`
	textFinishEdit  = "完成编辑"
	maxProductTitle = 10
	// The manage page's list, for FindPublished. Assumed: no working
	// tool reads it.
	selManageTitles = `[class*="info-title-text"], [class*="video-card"] [class*="title"]`
	selManageLoaded = `[class*="video-list"], [class*="empty"]`
)
