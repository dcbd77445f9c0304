package bilibili

import (
	"fmt"
	"strconv"
	"strings"

	"fanout/pkg/platform"
)

// defaultTID is the category of a request that names none: 21 日常 (生活 ›
// daily life), the neutral home of a short personal video. biliup's CLI
// defaults to 171 (电子竞技, §5.2) because it uploads game streams; that
// would file every Fanout video under e-sports.
const defaultTID = 21

// zones are the sub-zones a request may name instead of a number. The
// numbers are the site's long-standing zone ids as public clients list
// them; the live list comes from x/vupre/web/archive/pre (§5.2), which
// the driver does not call (assumed).
var zones = map[string]int{
	"日常": 21, "daily": 21,
	"搞笑": 138, "funny": 138,
	"美食制作": 76, "food": 76,
	"手工": 161, "绘画": 162,
	"单机游戏": 17, "电子竞技": 171, "esports": 171, "手机游戏": 172, "网络游戏": 65,
	"数码": 95, "计算机技术": 231,
	"科学科普": 201, "science": 201, "人文历史": 228, "校园学习": 208, "野生技能协会": 122,
	"原创音乐": 28, "翻唱": 31, "演奏": 59, "音乐综合": 130, "music": 130,
	"宅舞": 20, "舞蹈综合": 154, "dance": 154,
	"影视杂谈": 182, "影视剪辑": 183,
	"综艺": 71, "娱乐杂谈": 241,
	"喵星人": 218, "汪星人": 219,
	"运动综合": 238, "sports": 238,
}

// categoryTID reads req.Category: empty is defaultTID, a number is taken
// as the tid, a known zone name is looked up; anything else is refused
// rather than filed somewhere the user did not ask for.
func categoryTID(category string) (int, error) {
	c := strings.TrimSpace(category)
	if c == "" {
		return defaultTID, nil
	}
	if n, err := strconv.Atoi(c); err == nil && n > 0 {
		return n, nil
	}
	if tid, ok := zones[strings.ToLower(c)]; ok {
		return tid, nil
	}
	return 0, fmt.Errorf("bilibili: unknown category %q (give the zone's tid or a name such as 日常, 搞笑, 科学科普): %w", category, platform.ErrInvalidRequest)
}
