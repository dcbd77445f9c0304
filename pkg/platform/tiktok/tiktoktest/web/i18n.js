// The fake TikTok pages' texts in the languages they come in, by the
// language the page's <html lang> names (see lang.go). The English texts
// follow the reference uploader (social-auto-upload, tk_uploader) where it
// names them; the Chinese ones follow a third-party uploader that works on
// the Chinese interface (预约发布, 显示更多, 标记 AI 生成的内容, 开启, 立即发布,
// the month names 一月 … 十二月) where it names them. Every other text, and
// the German page (which stands for a language the driver does not know),
// is assumed.
window.tiktokI18n = {
  en: {
    more: 'More', language: 'Language', upload: 'Upload',
    selectToUpload: 'Select video to upload', selectVideo: 'Select video', dragDrop: 'Or drag and drop it here',
    uploading: 'Uploading...', uploaded: 'Uploaded', uploadFailed: "Couldn't upload. Try again.", replace: 'Replace',
    details: 'Details', description: 'Description', cover: 'Cover', selectCover: 'Select cover', uploadCover: 'Upload cover',
    uploadImage: 'Upload image', cancel: 'Cancel', confirm: 'Confirm',
    whenToPost: 'When to post', now: 'Now', schedule: 'Schedule',
    showMore: 'Show more', aigc: 'AI-generated content', disclose: 'Disclose post content',
    yourBrand: 'Your brand', brandedContent: 'Branded content',
    post: 'Post', schedulePost: 'Schedule', discard: 'Discard',
    aigcTitle: 'Label AI-generated content', aigcBody: 'Your video will be labelled as AI-generated content.', turnOn: 'Turn on',
    confirmTitle: 'Continue to post?', confirmBody: "We're still checking your video. You can post now or wait for the results.",
    postNow: 'Post now', allowQuestion: 'Allow your videos to be scheduled?', allow: 'Allow',
    stillUploading: 'Your video is still uploading', coverFailed: "Couldn't upload the cover", published: 'Your video has been published',
    months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  },
  'zh-Hans': {
    more: '更多', language: '语言', upload: '上传',
    selectToUpload: '选择要上传的视频', selectVideo: '选择视频', dragDrop: '或将视频拖放到这里',
    uploading: '上传中...', uploaded: '已上传', uploadFailed: '无法上传，请重试。', replace: '替换',
    details: '详细信息', description: '描述', cover: '封面', selectCover: '选择封面', uploadCover: '上传封面',
    uploadImage: '上传图片', cancel: '取消', confirm: '确认',
    whenToPost: '发布时间', now: '现在', schedule: '预约发布',
    showMore: '显示更多', aigc: 'AI 生成的内容', disclose: '披露作品内容',
    yourBrand: '你的品牌', brandedContent: '品牌内容',
    post: '发布', schedulePost: '预约发布', discard: '放弃',
    aigcTitle: '标记 AI 生成的内容', aigcBody: '你的视频将被标记为 AI 生成的内容。', turnOn: '开启',
    confirmTitle: '继续发布？', confirmBody: '我们仍在检查你的视频。你可以立即发布，或等待检查结果。',
    postNow: '立即发布', allowQuestion: '允许预约发布你的视频？', allow: '允许',
    stillUploading: '视频仍在上传中', coverFailed: '无法上传封面', published: '视频已发布',
    months: ['一月', '二月', '三月', '四月', '五月', '六月', '七月', '八月', '九月', '十月', '十一月', '十二月'],
  },
  de: {
    more: 'Mehr', language: 'Sprache', upload: 'Hochladen',
    selectToUpload: 'Video zum Hochladen auswählen', selectVideo: 'Video auswählen', dragDrop: 'Oder hierher ziehen',
    uploading: 'Wird hochgeladen...', uploaded: 'Hochgeladen', uploadFailed: 'Hochladen fehlgeschlagen. Versuche es erneut.', replace: 'Ersetzen',
    details: 'Details', description: 'Beschreibung', cover: 'Titelbild', selectCover: 'Titelbild wählen', uploadCover: 'Titelbild hochladen',
    uploadImage: 'Bild hochladen', cancel: 'Abbrechen', confirm: 'Bestätigen',
    whenToPost: 'Wann posten', now: 'Jetzt', schedule: 'Planen',
    showMore: 'Mehr anzeigen', aigc: 'KI-generierte Inhalte', disclose: 'Beitragsinhalt offenlegen',
    yourBrand: 'Deine Marke', brandedContent: 'Markeninhalt',
    post: 'Posten', schedulePost: 'Planen', discard: 'Verwerfen',
    aigcTitle: 'KI-generierte Inhalte kennzeichnen', aigcBody: 'Dein Video wird als KI-generiert gekennzeichnet.', turnOn: 'Aktivieren',
    confirmTitle: 'Weiter posten?', confirmBody: 'Wir prüfen dein Video noch. Du kannst jetzt posten oder auf das Ergebnis warten.',
    postNow: 'Jetzt posten', allowQuestion: 'Planen von Videos zulassen?', allow: 'Zulassen',
    stillUploading: 'Dein Video wird noch hochgeladen', coverFailed: 'Titelbild konnte nicht hochgeladen werden', published: 'Dein Video wurde gepostet',
    months: ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'],
  },
};
