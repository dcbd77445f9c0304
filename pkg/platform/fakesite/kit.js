// The behaviour every fake creator site's pages share, served by package
// fakesite at /__fake__/kit.js. Pages load it in <head>, so it is there
// before the body is parsed and the page's own /static/app.js at the end of
// the body runs no later than it would alone (a driver may set a file input
// as soon as it exists). It has the API call that sends a logged-out browser
// to the login page, the QR login poll, and the video upload with its
// processing poll. The sites' scripts keep their own markup, selectors,
// texts and endpoints.
window.fakesite = (function () {
  'use strict';
  const $ = (sel, root) => (root || document).querySelector(sel);
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  const kit = {
    $,
    sleep,
    // toLogin sends the browser to the login page after a 401; a site
    // whose login page is elsewhere replaces it.
    toLogin() { location.href = '/'; },
  };

  // api calls a JSON endpoint of the site and returns the decoded answer.
  kit.api = async function (method, url, body) {
    const init = { method, credentials: 'same-origin', headers: {} };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const r = await fetch(url, init);
    if (r.status === 401) {
      kit.toLogin();
      throw new Error('login required');
    }
    return r.json();
  };

  // qrLogin runs a login page's QR code. create(current) asks for a new
  // code, shows it (unless current() turned false meanwhile) and resolves to
  // its token; check(token) resolves to the poll's answer, {status, ...};
  // show(status) renders new, scanned or expired; confirmed(answer) goes on
  // once the phone confirmed. While paused() is true the poll waits. It
  // returns {refresh, token}: refresh shows a fresh code, token() is the
  // one shown (null while none is).
  kit.qrLogin = function ({ create, check, show, confirmed, paused }) {
    let token = null;
    let gen = 0;
    async function refresh() {
      const my = ++gen;
      token = null;
      const t = await create(() => my === gen);
      if (my !== gen) return;
      token = t;
      show('new');
    }
    (async function poll() {
      for (;;) {
        await sleep(300);
        if (!token || (paused && paused())) continue;
        const asked = token;
        let j;
        try {
          j = await check(asked);
        } catch (e) {
          continue;
        }
        if (asked !== token) continue;
        if (j.status === 'confirmed') {
          confirmed(j);
          return;
        }
        show(j.status);
      }
    })();
    return { refresh, token: () => token };
  };

  // upload sends file to url as the multipart field "file", then polls
  // status?key=id until the site's processing is done; key names the
  // upload in the answer's data and in the status query, ok(answer) tells a
  // good status answer. The page hears of it through uploaded(id),
  // progress(percent) (0-30 while sending, then up to 99), failed() and
  // done(id); once current() is false (a newer upload started) it hears
  // nothing more.
  kit.upload = function (file, o) {
    o.progress(0);
    const fd = new FormData();
    fd.append('file', file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', o.url);
    xhr.upload.onprogress = (e) => {
      if (o.current() && e.lengthComputable) o.progress(Math.floor((e.loaded / e.total) * 30));
    };
    xhr.onerror = () => { if (o.current()) o.failed(); };
    xhr.onload = async () => {
      if (!o.current()) return;
      if (xhr.status === 401) { kit.toLogin(); return; }
      if (xhr.status !== 200) { o.failed(); return; }
      const id = JSON.parse(xhr.responseText).data[o.key];
      if (o.uploaded) o.uploaded(id);
      for (;;) {
        let j;
        try {
          j = await kit.api('GET', o.status + '?' + o.key + '=' + encodeURIComponent(id));
        } catch (e) {
          return;
        }
        if (!o.current()) return;
        if (!o.ok(j)) { o.failed(); return; }
        if (j.data.done) { o.done(id); return; }
        o.progress(30 + Math.floor(j.data.progress * 69));
        await sleep(200);
      }
    };
    xhr.send(fd);
  };

  return kit;
})();
