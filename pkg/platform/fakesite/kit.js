// The behaviour every fake creator site's pages share, served by package
// fakesite at /__fake__/kit.js. The page frame (frame.html) loads it in
// <head>, so it is there before the body is parsed and the page's own
// /static/app.js at the end of the body runs no later than it would alone
// (a driver may set a file input as soon as it exists). It has the API call that sends a logged-out browser
// to the login page, the QR login poll with the usual ways to ask for,
// poll and show a code, the video upload with its processing poll, the
// cover upload, the form's final request and the toast that shows an
// error. The sites' scripts keep their own markup, selectors, texts and
// endpoints, and pass them in.
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

  // send is api for a form's final request: one that fails (a 401 has
  // already sent the browser to the login page) resolves to null.
  kit.send = async function (method, url, body) {
    try {
      return await kit.api(method, url, body);
    } catch (e) {
      return null;
    }
  };

  // toaster returns the function that shows a site's message for 6s: a
  // div of className added to the element wrap (a selector; the body
  // without one, nothing when it is missing), the message as its text or,
  // with html as its markup, as the text of its element text.
  kit.toaster = function ({ wrap, className, html, text }) {
    return function (msg) {
      const box = wrap ? $(wrap) : document.body;
      if (!box) return;
      const t = document.createElement('div');
      t.className = className;
      if (html) {
        t.innerHTML = html;
        $(text, t).textContent = msg;
      } else {
        t.textContent = msg;
      }
      box.appendChild(t);
      setTimeout(() => t.remove(), 6000);
    };
  };

  // newQR is the usual create of qrLogin: POST url, then the answer's
  // data[image] is shown in img and data[token] is the code's token.
  kit.newQR = (url, img, image, token) => async function (current) {
    const j = await kit.api('POST', url);
    if (current()) img.src = j.data[image];
    return j.data[token];
  };

  // pollQR is the usual check of qrLogin: GET url with the token appended,
  // whose data is {status, ...}.
  kit.pollQR = (url) => async (token) => (await kit.api('GET', url + encodeURIComponent(token))).data;

  // showQR is the usual show of qrLogin: the overlays scanned and expired
  // show in their state.
  kit.showQR = (scanned, expired) => function (state) {
    scanned.hidden = state !== 'scanned';
    expired.hidden = state !== 'expired';
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

  // qrBehindSMS runs the QR code of a login box that shows its SMS form
  // sms first: a click on toggle shows the code qr instead (asking for one
  // the first time) or the form again, and the poll waits while the code is
  // hidden. o are qrLogin's options; it returns what qrLogin does.
  kit.qrBehindSMS = function (toggle, qr, sms, o) {
    const code = kit.qrLogin({ ...o, paused: () => qr.hidden });
    toggle.addEventListener('click', () => {
      const toQR = qr.hidden;
      qr.hidden = !toQR;
      sms.hidden = toQR;
      if (toQR && !code.token()) code.refresh();
    });
    return code;
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

  // uploader starts uploads as upload does (o as there, without current):
  // start(file) begins one and silences the one before, stop() silences
  // the current one.
  kit.uploader = function (o) {
    let gen = 0;
    return {
      start(file) {
        const my = ++gen;
        kit.upload(file, { ...o, current: () => my === gen });
      },
      stop() { gen++; },
    };
  };

  // statusBox shows an upload's state in the element #upload-status, as
  // the sites that share this layout do. The markup of the progress,
  // o.progress, is made once, a div.progress-div whose element o.text reads
  // 上传中 N% and whose element o.bar is N% wide. The markup of a failure,
  // o.failed, is a div.progress-div with a file input that chooses the
  // video again, for retry(file); the markup of a finished upload, o.done,
  // shows its file's name in its element o.name.
  kit.statusBox = function (o) {
    return {
      progress(pct) {
        const box = $('#upload-status');
        let div = $('.progress-div', box);
        if (!div || !$(o.text, div)) {
          box.innerHTML = o.progress;
          div = $('.progress-div', box);
        }
        $(o.text, div).textContent = '上传中 ' + pct + '%';
        $(o.bar, div).style.width = pct + '%';
      },
      failed(retry) {
        const box = $('#upload-status');
        box.innerHTML = o.failed;
        $('.progress-div input', box).addEventListener('change', (e) => {
          if (e.target.files[0]) retry(e.target.files[0]);
        });
      },
      done(name) {
        const box = $('#upload-status');
        box.innerHTML = o.done;
        $(o.name, box).textContent = name;
      },
    };
  };

  // sendFile posts file to url as the multipart field "file", as a cover
  // is uploaded (no progress, no processing), and resolves to the decoded
  // answer.
  kit.sendFile = function (url, file) {
    const fd = new FormData();
    fd.append('file', file, file.name);
    return fetch(url, { method: 'POST', body: fd, credentials: 'same-origin' }).then((r) => r.json());
  };

  // sendImages uploads an image note's files to url one after the other,
  // in their order, calling progress(done, total) after each, and resolves
  // to their image ids, or null when one failed (the answer's message
  // goes to failed).
  kit.sendImages = async function (url, files, progress, failed) {
    const ids = [];
    for (const f of files) {
      let j;
      try { j = await kit.sendFile(url, f); } catch (e) { j = null; }
      const id = j && j.data && j.data.image_id;
      if (!id) { failed(j); return null; }
      ids.push(id);
      progress(ids.length, files.length);
    }
    return ids;
  };

  // knobs are the page knobs the kernel put on the body (data-knobs).
  kit.knobs = function () {
    try { return JSON.parse((document.body && document.body.dataset.knobs) || '{}'); } catch (e) { return {}; }
  };

  // Trusted input (Config.TrustedInput): a click, press or release that no
  // pointer made — a script's element.click() — does nothing, as on the
  // real sites' widgets that react to the pointer (assumed; SAU clicks
  // with real mouse events everywhere). The pages' own programmatic clicks
  // on a file input (to open the chooser) are let through.
  for (const type of ['click', 'mousedown', 'mouseup', 'pointerdown', 'pointerup']) {
    document.addEventListener(type, (e) => {
      if (e.isTrusted || !kit.knobs().trusted) return;
      const t = e.target;
      if (t && t.tagName === 'INPUT' && t.type === 'file') return;
      e.stopImmediatePropagation();
      e.preventDefault();
    }, true);
  }

  // Broken options (Kernel.BreakOption): the controls marked
  // data-option=<name> are removed, now and when they appear later.
  function dropBroken() {
    const broken = kit.knobs().broken || [];
    for (const name of broken) {
      document.querySelectorAll('[data-option="' + name + '"]').forEach((el) => el.remove());
    }
  }
  document.addEventListener('DOMContentLoaded', () => {
    dropBroken();
    new MutationObserver(dropBroken).observe(document.body, { childList: true, subtree: true });
  });

  // published is what a page does once the site accepted a publish: with
  // the success-toast knob the site's success message (success(text))
  // shows first and the page moves on (go()) a moment later, as a copy of
  // Douyin's pages does; otherwise it moves on at once.
  kit.published = function (success, go, text) {
    if (!kit.knobs().success_toast) { go(); return; }
    success(text || '发布成功');
    setTimeout(go, 1200);
  };

  return kit;
})();
