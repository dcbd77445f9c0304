package weibo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
	"fanout/pkg/web"
)

// fillForm fills the form after the upload in the tool's order (§3.9
// steps 5-9): the declaration (the request's, else the Config's default,
// skipped with a warning when it fails), the title, the cover (mandatory),
// the collection when asked for, and the description with the tags. The
// tool's 二创 type (step 4) is not set: nobody asks for it and the site
// publishes without it (assumed; the tool's comment calls it required).
func (d *Driver) fillForm(ctx context.Context, req platform.PublishRequest) error {
	name := strings.TrimSpace(req.Collection)
	desc, tags := content(req)
	return page.FillOptions(ctx,
		flow.Declare(Declaration(req.Declaration, d.declaration), req.Declaration != "", d.declare),
		flow.Option{Op: "title", When: true, Run: func(ctx context.Context) error { return d.title(ctx, Title(req.Title)) }},
		flow.Cover(req, d.cover),
		flow.Option{Op: "collection", When: name != "", Run: func(ctx context.Context) error { return d.collection(ctx, name) }},
		flow.Option{Op: "description", When: desc != "" || len(tags) > 0, Run: func(ctx context.Context) error { return d.describe(ctx, desc, tags) }},
	)
}

// declPanel is a JavaScript expression yielding the open declaration panel.
var declPanel = fmt.Sprintf(`(qa(%s).find(vis) || null)`, browser.JS(selDeclPanel))

// declare picks decl in the 内容声明 panel: the trigger, the option (a
// button whose span is decl), then 确定, which closes the panel (§3.9 step
// 5, W:574-617). An option the panel does not offer is an invalid request.
func (d *Driver) declare(ctx context.Context, decl string) error {
	trigger := fmt.Sprintf(`qa(%s).find(vis) || null`, browser.JS(selDeclTrigger))
	if err := page.WaitClick(ctx, d.to.Element, "declaration.open", selDeclTrigger, trigger); err != nil {
		return err
	}
	options := fmt.Sprintf(`(p => p ? qa(%s, p).filter(b => vis(b) && !b.closest('[class*="_footer_"]')) : [])(%s)`,
		browser.JS(selDeclOption), declPanel)
	label := `(b => ((b.querySelector('span') || b).innerText || '').trim())`
	offered := fmt.Sprintf(`%s.map(%s).filter(Boolean)`, options, label)
	if err := page.Offered(ctx, d.to.Element, "declaration.options", selDeclPanel+" "+selDeclOption, offered, "declaration", decl); err != nil {
		return err
	}
	option := fmt.Sprintf(`%s.find(b => %s(b) === %s) || null`, options, label, browser.JS(decl))
	what := fmt.Sprintf(`%s button:has(span:text-is(%q))`, selDeclPanel, decl)
	if err := page.Click(ctx, "declaration.option", what, option); err != nil {
		return err
	}
	checked := fmt.Sprintf(`(b => !!b && !!b.querySelector(%s))(%s)`, browser.JS(selDeclCheckActive), option)
	if err := page.Wait(ctx, d.to.Element, "declaration.option", what+" "+selDeclCheckActive, checked); err != nil {
		return err
	}
	confirm := fmt.Sprintf(`(p => p ? qa(%s, p).find(b => vis(b) && !!findText(%s, true, b)) || null : null)(%s)`,
		browser.JS(selDeclFooter), browser.JS(textConfirm), declPanel)
	if err := page.Click(ctx, "declaration.confirm", selDeclFooter+`:has(span:text-is("确定"))`, confirm); err != nil {
		return err
	}
	return page.Wait(ctx, d.to.Element, "declaration.close", selDeclPanel+" hidden", "!"+declPanel)
}

// title types the title into its field (§3.9 step 6): a click on it, then
// its content replaced.
func (d *Driver) title(ctx context.Context, title string) error {
	field := fmt.Sprintf(`qa(%s).find(vis) || null`, browser.JS(selTitle))
	if err := page.WaitClick(ctx, d.to.Element, "title", selTitle, field); err != nil {
		return err
	}
	return browser.Fill(ctx, "title", selTitle, title)
}

// describe types the description, then the tags as #t1# #t2# on the next
// line (§3.9 step 9), into the description box.
func (d *Driver) describe(ctx context.Context, desc string, tags []string) error {
	field := fmt.Sprintf(`qa(%s).find(vis) || null`, browser.JS(selDescription))
	if err := page.WaitClick(ctx, d.to.Element, "description", selDescription, field); err != nil {
		return err
	}
	if err := browser.Fill(ctx, "description", selDescription, desc); err != nil {
		return err
	}
	if len(tags) == 0 {
		return nil
	}
	if desc != "" {
		if err := browser.Press(ctx, browser.KeyEnter); err != nil {
			return err
		}
	}
	topics := make([]string, len(tags))
	for i, t := range tags {
		topics[i] = "#" + t + "#"
	}
	return browser.InsertText(ctx, strings.Join(topics, " "))
}

// coverLayer is a JavaScript expression yielding the visible 编辑封面 layer.
var coverLayer = fmt.Sprintf(`(qa(%s).find(l => vis(l) && !!findText(%s, true, l)) || null)`, browser.JS(selLayer), browser.JS(textCoverLayer))

// coverState is one look at the cover layer.
type coverState struct {
	Closed bool   `json:"closed"`
	Ready  bool   `json:"ready"`
	Error  string `json:"error"`
}

// cover uploads the cover (§3.9 step 7, W:440-530): 上传封面 opens the
// 编辑封面 layer, the image goes into its jpg input, the cropper shows it,
// and 完成 is clicked — once enabled, again every coverClickEvery — until
// the layer hides, which the site does only once it processed the crop.
// An error text in the layer fails the cover.
func (d *Driver) cover(ctx context.Context, path string) error {
	link := fmt.Sprintf(`(el => el && (el.closest('a, [role="link"]') || el))(findText(%s, true))`, browser.JS(textCoverLink))
	if err := page.WaitClick(ctx, d.to.Element, "cover.open", fmt.Sprintf(`role=link[name=%q]`, textCoverLink), link); err != nil {
		return err
	}
	mark := fmt.Sprintf(`(l => { const i = l && q(%s, l); if (!i) return false;
qa('[data-fanout-cover]').forEach(e => e.removeAttribute('data-fanout-cover'));
i.setAttribute('data-fanout-cover', '1'); return true; })(%s)`, browser.JS(selCoverInput), coverLayer)
	if err := page.Wait(ctx, d.to.Element, "cover.layer", selLayer+` >> text="编辑封面" >> `+selCoverInput, mark); err != nil {
		return err
	}
	if err := browser.SetFiles(ctx, d.to.Element, "cover.file", `[data-fanout-cover]`, path); err != nil {
		return err
	}
	if err := page.Wait(ctx, d.to.Element, "cover.crop", selCropperImage, fmt.Sprintf(`qa(%s).length > 0`, browser.JS(selCropperImage))); err != nil {
		return err
	}
	done := fmt.Sprintf(`(l => l ? qa(%s, l).find(b => vis(b) && !!findText(%s, true, b)) || null : null)(%s)`,
		browser.JS(selCoverDone), browser.JS(textCoverDone), coverLayer)
	probe := fmt.Sprintf(`(l => { if (!l) return {closed: true};
const t = l.innerText || '', b = %s;
return {ready: !!b && b.getAttribute('aria-disabled') !== 'true', error: %s.find(e => t.includes(e)) || ''}; })(%s)`,
		done, flow.JSList(coverErrors), coverLayer)
	deadline := time.Now().Add(d.to.Upload)
	for {
		var st coverState
		err := browser.Until(ctx, time.Until(deadline), "cover.done", selCoverDone+` >> text="完成"`, func(ctx context.Context) (bool, error) {
			var err error
			st, err = flow.Eval[coverState](ctx, page, probe)
			return err == nil && (st.Closed || st.Ready || st.Error != ""), err
		})
		switch {
		case err != nil:
			return err
		case st.Closed:
			return nil
		case st.Error != "":
			return &web.SelectorError{Step: "cover.done", Selector: selLayer, Err: fmt.Errorf("the cover layer shows %s", st.Error)}
		}
		if err := page.Click(ctx, "cover.done", selCoverDone+`:has(span:text-is("完成"))`, done); err != nil {
			return err
		}
		wait := min(coverClickEvery, time.Until(deadline))
		if err := page.Wait(ctx, wait, "cover.close", selLayer+" hidden", "!"+coverLayer); err == nil || ctx.Err() != nil {
			return err
		}
	}
}

// collection picks the collection name (§3.9 step 8, W:695-745): it turns
// the 合集 switch on, then clicks the checkbox of the row whose name(共N集)
// is name. A collection the account does not have is an invalid request
// (the tool creates it; the driver never makes what was not asked for).
func (d *Driver) collection(ctx context.Context, name string) error {
	block := fmt.Sprintf(`(qa(%s).find(b => vis(b) && qa(%s, b).some(t => (t.innerText || '').trim() === %s)) || null)`,
		browser.JS(selSwitchBlock), browser.JS(selSwitchTitle), browser.JS(textCollection))
	on, err := flow.Eval[bool](ctx, page, fmt.Sprintf(`(b => { const i = b && q('input', b); return !!i && i.checked; })(%s)`, block))
	if err != nil {
		return err
	}
	if !on {
		sw := fmt.Sprintf(`(b => b && q(%s, b))(%s)`, browser.JS(selSwitch), block)
		if err := page.WaitClick(ctx, d.to.Element, "collection.switch", selSwitchBlock+` `+selSwitch, sw); err != nil {
			return err
		}
	}
	rowName := fmt.Sprintf(`(r => ((q(%s, r) || {}).value || '').replace(/\(共\d+集\)\s*$/, '').trim())`, browser.JS(selCollectionName))
	rows := fmt.Sprintf(`qa(%s).filter(vis)`, browser.JS(selCollectionRow))
	offered := fmt.Sprintf(`%s.map(%s).filter(Boolean)`, rows, rowName)
	if err := page.Offered(ctx, d.to.Element, "collection.options", selCollectionRow, offered, "collection", name); err != nil {
		return err
	}
	row := fmt.Sprintf(`(%s.find(r => %s(r) === %s) || null)`, rows, rowName, browser.JS(name))
	box := fmt.Sprintf(`(r => r && q(%s, r))(%s)`, browser.JS(selRowCheckbox), row)
	what := fmt.Sprintf(`%s:has(input[value^=%q]) %s`, selCollectionRow, name, selRowCheckbox)
	if err := page.Click(ctx, "collection.pick", what, box); err != nil {
		return err
	}
	return page.Wait(ctx, d.to.Element, "collection.pick", what+":checked", fmt.Sprintf(`(b => { const i = b && q('input', b); return !!i && i.checked; })(%s)`, box))
}
