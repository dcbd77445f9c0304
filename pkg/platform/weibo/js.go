package weibo

import (
	"fmt"

	"fanout/pkg/browser"
	"fanout/pkg/platform/flow"
)

// page is the site's script library (see flow.Page): isLogin() is a tab
// sent to the visitor login or the passport, or one that shows 登录 (§3.9
// cookie check).
var page = flow.NewPage("weibo", flow.Script{
	IsLogin: fmt.Sprintf(`%s.some(m => location.href.includes(m)) || !!findText(%s, true)`,
		flow.JSList(loginMarks), browser.JS(textLogin)),
})

// videoEntry is a JavaScript expression yielding the home's 视频 entry: a
// visible span whose text is 视频, else the first that has it (the tool's
// span filter, W:373-383).
var videoEntry = fmt.Sprintf(`(findIn('span', %[1]s, true) || findIn('span', %[1]s, false))`, browser.JS(textVideoEntry))
