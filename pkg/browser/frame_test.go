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

// TestFrameHelpersReachSameOriginIframes drives a form that lives in a
// same-origin iframe, two levels deep: find, type into and upload to it from
// the main frame.
func TestFrameHelpersReachSameOriginIframes(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body><h1>top</h1><iframe src="/outer"></iframe></body></html>`)
	})
	mux.HandleFunc("/outer", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body><iframe src="/inner"></iframe></body></html>`)
	})
	mux.HandleFunc("/inner", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body><div class="editor" contenteditable="true">old</div>
<input type="file" id="f"><p id="name"></p><div id="hidden" style="display:none">x</div>
<script>document.getElementById('f').addEventListener('change', e => {
  document.getElementById('name').textContent = e.target.files[0].name + ':' + e.target.files[0].size; });</script>
</body></html>`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	tab := openAt(t, srv.URL)
	if err := browser.WaitVisibleInFrames(tab, 5*time.Second, "editor", "div.editor"); err != nil {
		t.Fatalf("editor in a nested iframe: %v", err)
	}
	if ok, err := browser.Exists(tab, "div.editor"); err != nil || ok {
		t.Fatalf("Exists (main document only) = %v, %v; want false", ok, err)
	}
	if ok, err := browser.VisibleInFrames(tab, "#hidden"); err != nil || ok {
		t.Errorf("VisibleInFrames(hidden) = %v, %v; want false", ok, err)
	}
	if ok, err := browser.ExistsInFrames(tab, "#hidden"); err != nil || !ok {
		t.Errorf("ExistsInFrames(hidden) = %v, %v; want true", ok, err)
	}

	if err := browser.FocusJS(tab, "type", "div.editor", browser.QueryFramesJS("div.editor")); err != nil {
		t.Fatal(err)
	}
	if err := browser.InsertText(tab, "新的文字"); err != nil {
		t.Fatal(err)
	}
	got, err := browser.Eval[string](tab, browser.QueryFramesJS("div.editor")+".innerText")
	if err != nil || got != "新的文字" {
		t.Errorf("editor text = %q, %v; want the typed text to replace the old", got, err)
	}

	video := testenv.Testdata("sample.mp4")
	if err := browser.SetFilesJS(tab, 5*time.Second, "upload", "#f", browser.QueryFramesJS("#f"), video); err != nil {
		t.Fatal(err)
	}
	if err := browser.Until(tab, 5*time.Second, "upload", "#name", func(ctx context.Context) (bool, error) {
		s, err := browser.Eval[string](ctx, browser.QueryFramesJS("#name")+".textContent")
		return s != "", err
	}); err != nil {
		t.Fatalf("change event in the iframe: %v", err)
	}

	var se *web.SelectorError
	err = browser.SetFilesJS(tab, time.Second, "upload.missing", "#nope", browser.QueryFramesJS("#nope"), video)
	if !errors.As(err, &se) || se.Step != "upload.missing" || se.Selector != "#nope" {
		t.Errorf("SetFilesJS on nothing = %v, want a SelectorError naming the step", err)
	}
	if err := browser.FocusJS(tab, "focus.missing", "#nope", browser.QueryFramesJS("#nope")); !errors.As(err, &se) {
		t.Errorf("FocusJS on nothing = %v, want a SelectorError", err)
	}
}
