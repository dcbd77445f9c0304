package tiktok

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fanout/pkg/browser"
)

// texts are the words the driver finds controls by, in one language the
// site speaks. Where it can, the driver finds a control by its data-e2e or
// class instead, which no language changes.
type texts struct {
	// name names the language in errors.
	name string
	// more is the home page's More menu, which tells the language (SAU
	// TK:249 checks "More").
	more string
	// schedule labels the Schedule choice; allow confirms scheduling the
	// first time.
	schedule, allow string
	// uploadCover is the cover editor's tab; confirm its button.
	uploadCover, confirm string
	// postNow confirms a post in the dialog that asks.
	postNow string
	// disclose labels the switch the other disclosures are under; labels
	// are the declarations as the page words them, by their names.
	disclose string
	labels   map[string]string
	// months are the calendar's titles, January first: the month's name
	// only, no year (SAU TK:99 parses it with %B).
	months [12]string
}

// english is the interface SAU drives (TK:86-240).
var english = texts{
	name: "English", more: "More",
	schedule: "Schedule", allow: "Allow", // TK:86, TK:90
	uploadCover: "Upload cover", confirm: "Confirm", // TK:234, TK:240
	postNow:  "Post now",              // assumed
	disclose: "Disclose post content", // assumed
	labels: map[string]string{DefaultDeclaration: "AI-generated content", // assumed
		declYourBrand: "Your brand", declBrandedContent: "Branded content"}, // assumed
	months: [12]string{"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"},
}

// chinese is the Simplified Chinese interface, as the CN uploader drives it
// (预约发布, 立即发布, the month titles); the other words are assumed.
var chinese = texts{
	name: "Chinese", more: "更多", // assumed
	schedule: "预约发布", allow: "允许",
	uploadCover: "上传封面", confirm: "确认", // assumed
	postNow:  "立即发布",
	disclose: "披露作品内容", // assumed
	labels: map[string]string{DefaultDeclaration: "AI 生成的内容", // CN uploader
		declYourBrand: "你的品牌", declBrandedContent: "品牌内容"}, // assumed
	months: [12]string{"一月", "二月", "三月", "四月", "五月", "六月", "七月",
		"八月", "九月", "十月", "十一月", "十二月"},
}

// known are the languages the driver can publish in; the site is switched
// to English when it speaks another.
var known = []*texts{&english, &chinese}

// label is the page's wording of the declaration decl; one the driver does
// not know is looked for as it is.
func (t *texts) label(decl string) string {
	if l, ok := t.labels[decl]; ok {
		return l
	}
	return decl
}

// month reads a calendar title, in any language the driver knows.
func month(title string) (time.Month, bool) {
	title = strings.TrimSpace(title)
	for _, t := range known {
		for i, m := range t.months {
			if strings.EqualFold(title, m) {
				return time.Month(i + 1), true
			}
		}
	}
	return 0, false
}

// nearest is the month m in the year that puts it nearest now, as months
// since year 0: a calendar title has no year, so the year is counted from
// now (a schedule is at most 10 days ahead, and the calendar opens near
// it).
func nearest(m time.Month, now time.Time) int {
	cur := now.Year()*12 + int(now.Month()) - 1
	v := now.Year()*12 + int(m) - 1
	for v-cur > 6 {
		v -= 12
	}
	for cur-v > 6 {
		v += 12
	}
	return v
}

// language opens the home page and returns the words of the language the
// site speaks. A language the driver does not know is switched to English
// (US) through the menu, as SAU does (TK:243-254): the site may ignore a
// lang query, and the pages then keep the account's language.
func (d *Driver) language(ctx context.Context) (*texts, error) {
	if err := browser.Navigate(ctx, d.to.Page, "language.open", d.base+pathHome); err != nil {
		return nil, fmt.Errorf("%s: language: %w", page.Name(), err)
	}
	more := fmt.Sprintf(`qa(%s).find(vis) || null`, browser.JS(selNavMore))
	shown := fmt.Sprintf(`((%s) || {}).innerText || ''`, more)
	if err := page.Wait(ctx, d.to.Element, "language.menu", selNavMore, `(`+shown+`).trim() !== ''`); err != nil {
		return nil, page.StepErr(ctx, "language", err)
	}
	word, err := evalJS[string](ctx, shown)
	if err != nil {
		return nil, page.StepErr(ctx, "language", err)
	}
	for _, t := range known {
		if strings.TrimSpace(word) == t.more {
			return t, nil
		}
	}
	if err := d.switchToEnglish(ctx, more, shown); err != nil {
		return nil, page.StepErr(ctx, "language", err)
	}
	return &english, nil
}

// switchToEnglish chooses English (US) in the home page's menu (more is
// the menu, shown its text) and waits for the page to speak it.
func (d *Driver) switchToEnglish(ctx context.Context, more, shown string) error {
	if err := page.Click(ctx, "language.menu", selNavMore, more); err != nil {
		return err
	}
	sel := fmt.Sprintf(`qa(%s).find(vis) || null`, browser.JS(selLanguageSelect))
	if err := page.WaitClick(ctx, d.to.Element, "language.select", selLanguageSelect, sel); err != nil {
		return err
	}
	en := fmt.Sprintf(`findIn(%s, %s, true)`, browser.JS(selLanguageList+" *"), browser.JS(textEnglishUS))
	if err := page.WaitClick(ctx, d.to.Element, "language.english", selLanguageList+` >> text=`+textEnglishUS, en); err != nil {
		return err
	}
	return page.Wait(ctx, d.to.Page, "language.english", fmt.Sprintf("%s:text-is(%q)", selNavMore, english.more),
		fmt.Sprintf(`(%s).trim() === %s`, shown, browser.JS(english.more)))
}
