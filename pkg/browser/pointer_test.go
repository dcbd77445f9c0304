package browser_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/testenv"
	"fanout/pkg/web"
)

// pointerPage reacts only to real pointer input, as many real creator
// pages do: the menu opens on mousedown (an element.click() sends none),
// the cover control appears only while hovered, and a button far below the
// fold must be scrolled to. The frame holds a button of its own.
const pointerPage = `<html><body style="height:3000px">
<div id="sel" style="width:200px;height:30px;background:#eee">select…</div>
<ul id="menu" style="display:none"><li>open</li></ul>
<div id="card" style="width:200px;height:100px;background:#ddd"><button id="cover" style="visibility:hidden">edit cover</button></div>
<button id="far" style="position:absolute;top:2500px">far</button>
<iframe id="f" srcdoc="<button id=inner onmousedown=&quot;this.textContent='pressed'&quot;>inner</button>" style="width:200px;height:60px"></iframe>
<p id="log"></p>
<script>
const log = t => document.getElementById('log').textContent += t + ';';
document.getElementById('sel').addEventListener('mousedown', e => { if (e.isTrusted) document.getElementById('menu').style.display = 'block'; });
const card = document.getElementById('card'), cover = document.getElementById('cover');
card.addEventListener('mouseenter', () => cover.style.visibility = 'visible');
card.addEventListener('mouseleave', () => cover.style.visibility = 'hidden');
cover.addEventListener('click', e => log('cover:' + e.isTrusted));
document.getElementById('far').addEventListener('click', e => log('far:' + e.isTrusted));
</script></body></html>`

func TestPointerInputActsLikeAPerson(t *testing.T) {
	b := chrome(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, pointerPage) }))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tab, closeTab, err := b.NewSession(ctx, browser.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer closeTab()
	if err := browser.Navigate(tab, 10*time.Second, "open", srv.URL); err != nil {
		t.Fatal(err)
	}
	// A script's click does not open a mousedown menu; the pointer does.
	browser.Click(tab, "menu", "#sel")
	if shown, _ := browser.Visible(tab, "#menu"); shown {
		t.Fatal("the fake menu opened on element.click(); it must need a real press")
	}
	if err := browser.ClickJS(tab, "menu", "select", `document.getElementById('sel')`); err != nil {
		t.Fatal(err)
	}
	if shown, _ := browser.Visible(tab, "#menu"); !shown {
		t.Fatal("a real press did not open the menu")
	}
	// Hover reveals the cover control; then a trusted click lands on it.
	if err := browser.HoverJS(tab, "cover", "card", `document.getElementById('card')`); err != nil {
		t.Fatal(err)
	}
	if err := browser.ClickJS(tab, "cover", "edit cover", `document.getElementById('cover')`); err != nil {
		t.Fatal(err)
	}
	// Far below the fold: scrolled into view first.
	if err := browser.ClickJS(tab, "far", "far", `document.getElementById('far')`); err != nil {
		t.Fatal(err)
	}
	if got, _ := browser.Eval[string](tab, `document.getElementById('log').textContent`); got != "cover:true;far:true;" {
		t.Fatalf("clicks seen by the page: %q", got)
	}
	// Inside a same-origin frame.
	if err := browser.ClickJS(tab, "frame", "inner", `document.getElementById('f').contentDocument.getElementById('inner')`); err != nil {
		t.Fatal(err)
	}
	if got, _ := browser.Eval[string](tab, `document.getElementById('f').contentDocument.getElementById('inner').textContent`); got != "pressed" {
		t.Fatalf("frame button: %q", got)
	}
	// Nothing there, or nothing visible: a SelectorError naming the step.
	var se *web.SelectorError
	if err := browser.ClickJS(tab, "missing", "nothing", `document.getElementById('nope')`); !errors.As(err, &se) || se.Step != "missing" {
		t.Fatalf("missing element: %v", err)
	}
	if err := browser.ClickJS(tab, "hidden", "menu item", `document.querySelector('#menu li').style.display='none' || document.querySelector('#menu li')`); !errors.As(err, &se) {
		t.Fatalf("hidden element: %v", err)
	}
}

// A page that creates its file input only when the upload button is
// clicked: the file is picked in the (intercepted) chooser the click opens.
// A cross-origin frame's content is captured by screenshotting its box.
func TestChooserUploadAndElementScreenshot(t *testing.T) {
	b := chrome(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body><button id="up">上传视频</button><p id="got"></p>
<div id="qr" style="width:120px;height:120px;background:#000"></div>
<script>document.getElementById('up').addEventListener('click', () => {
  const i = document.createElement('input'); i.type = 'file';
  i.addEventListener('change', () => { document.getElementById('got').textContent = i.files[0].name + ':' + i.files[0].size; });
  i.click();
});</script></body></html>`)
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tab, closeTab, err := b.NewSession(ctx, browser.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer closeTab()
	if err := browser.Navigate(tab, 10*time.Second, "open", srv.URL); err != nil {
		t.Fatal(err)
	}
	path := testenv.Testdata("sample.mp4")
	err = browser.ChooseFiles(tab, 5*time.Second, "upload", "upload button", func(ctx context.Context) error {
		return browser.ClickJS(ctx, "upload", "upload button", `document.getElementById('up')`)
	}, path)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := browser.Eval[string](tab, `document.getElementById('got').textContent`); got == "" {
		t.Fatal("the page saw no file")
	}
	var se *web.SelectorError
	err = browser.ChooseFiles(tab, 500*time.Millisecond, "upload", "nothing", func(ctx context.Context) error { return nil }, path)
	if !errors.As(err, &se) {
		t.Fatalf("no chooser: %v", err)
	}
	shot, err := browser.ScreenshotElement(tab, "qr", "qr", `document.getElementById('qr')`)
	if err != nil || len(shot) < 100 {
		t.Fatalf("element screenshot: %v (%d bytes)", err, len(shot))
	}
}

// WaitJS sees a condition that a DOM change makes true, survives a
// navigation in the middle of a wait, and times out with a SelectorError.
func TestWaitJS(t *testing.T) {
	b := chrome(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/next" {
			fmt.Fprint(w, `<html><body><p id="ready">ready</p></body></html>`)
			return
		}
		fmt.Fprint(w, `<html><body><script>setTimeout(() => { const p = document.createElement('p'); p.id = 'late'; document.body.appendChild(p); }, 300);
setTimeout(() => { location.href = '/next'; }, 600);</script></body></html>`)
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tab, closeTab, err := b.NewSession(ctx, browser.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer closeTab()
	if err := browser.Navigate(tab, 10*time.Second, "open", srv.URL); err != nil {
		t.Fatal(err)
	}
	if err := browser.WaitJS(tab, 5*time.Second, "late", "#late", `document.getElementById('late')`); err != nil {
		t.Fatal(err)
	}
	if err := browser.WaitJS(tab, 5*time.Second, "next", "#ready", `document.getElementById('ready')`); err != nil {
		t.Fatalf("across a navigation: %v", err)
	}
	var se *web.SelectorError
	if err := browser.WaitJS(tab, 300*time.Millisecond, "never", "#never", `document.getElementById('never')`); !errors.As(err, &se) || se.Step != "never" {
		t.Fatalf("timeout: %v", err)
	}
}
