// Fake TikTok pages: just enough behaviour for the driver's flows.
(function () {
  'use strict';
  const kit = window.fakesite;
  const { $, api } = kit;
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  kit.toLogin = () => { location.href = '/login?lang=en&redirect_url=' + encodeURIComponent(location.href); };

  // ---- language ---------------------------------------------------------------
  // The pages are written in English; the language the site speaks to this
  // browser is <html lang> (set by the server from the menu's choice or the
  // account's), and every element with data-t takes its text in it.
  const i18n = window.tiktokI18n || {};
  const T = i18n[document.documentElement.lang] || i18n.en || {};
  function localize(root) {
    $$('[data-t]', root).forEach((el) => {
      const t = T[el.dataset.t];
      if (t) el.textContent = t;
    });
  }
  localize(document);

  // TikTok's top toast: .TUXTopToast-content inside a box whose class names
  // its type, error or success (assumed).
  const toastOf = (type) => kit.toaster({
    wrap: '#toasts', className: 'TUXTopToast TUXTopToast--' + type,
    html: '<div class="TUXTopToast-content"></div>', text: '.TUXTopToast-content',
  });
  const toast = toastOf('error');
  const success = toastOf('success');

  // ---- the language menu (SAU TK:243-254) ------------------------------------
  // More opens the menu, Language the list of languages; a language is
  // remembered in a cookie and the page reloads in it.
  function home() {
    const menu = $('.more-menu');
    const list = $('#creator-tools-selection-menu-header');
    $('[data-e2e="nav-more-menu"]').addEventListener('click', () => {
      menu.hidden = !menu.hidden;
      list.hidden = true;
    });
    $('[data-e2e="language-select"]').addEventListener('click', () => { list.hidden = false; });
    $$('[data-lang]', list).forEach((item) => item.addEventListener('click', () => {
      document.cookie = 'tt-lang=' + item.dataset.lang + '; path=/; max-age=31536000';
      location.reload();
    }));
  }

  // ---- QR login -------------------------------------------------------------
  function loginQR() {
    const canvas = $('div[data-e2e="qr-code"] canvas');
    const scanned = $('#qr-scanned');
    const expired = $('#qr-expired');
    const qr = kit.qrLogin({
      async create(current) {
        const j = await api('POST', '/passport/web/get_qrcode/');
        // The code counts as shown once it is drawn on the canvas.
        await new Promise((resolve) => {
          const img = new Image();
          img.onload = () => {
            if (current()) {
              const ctx = canvas.getContext('2d');
              ctx.clearRect(0, 0, canvas.width, canvas.height);
              ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
            }
            resolve();
          };
          img.src = j.data.qrcode;
        });
        return j.data.token;
      },
      check: kit.pollQR('/passport/web/check_qrconnect/?token='),
      show: kit.showQR(scanned, expired),
      confirmed(j) {
        const next = new URLSearchParams(location.search).get('redirect_url');
        location.href = next && next.startsWith('/') ? next : j.redirect_url;
      },
    });
    $('#qr-refresh').addEventListener('click', qr.refresh);
    qr.refresh();
  }

  // ---- upload page and post form (one page, like TikTok Studio) -------------
  function uploadPage() {
    const state = { videoId: null, done: false, coverId: '', allowed: false, date: null, hour: 0, minute: 0 };
    state.upload = kit.uploader({
      url: '/tiktok/web/project/upload/',
      status: '/tiktok/web/project/upload/status/',
      key: 'video_id',
      ok: (j) => j.status_code === 0,
      uploaded: (id) => { state.videoId = id; },
      progress: (pct) => { $('.info-progress-num').textContent = pct + '%'; },
      failed: () => renderFailed(state),
      done: () => {
        $('.info-status').textContent = T.uploaded;
        $('.info-progress-num').hidden = true;
        setDone(state, true);
      },
    });
    const first = $('#upload-view input[type="file"]');
    $('#select-video').addEventListener('click', () => first.click());
    first.addEventListener('change', (e) => {
      const f = e.target.files[0];
      if (!f) return;
      $('#upload-view').remove();
      const form = $('#form-tpl').content.cloneNode(true);
      localize(form);
      $('#main').appendChild(form);
      initForm(state, f);
      startUpload(state, f);
    });
  }

  function setDone(state, done) {
    state.done = done;
    $('button[data-e2e="post_video_button"]').disabled = !done;
  }

  function startUpload(state, file) {
    state.videoId = null;
    setDone(state, false);
    const reselect = $('.reselect');
    reselect.hidden = true;
    reselect.innerHTML = '';
    $('.file-name').textContent = file.name;
    $('.info-status').textContent = T.uploading;
    $('.info-progress-num').hidden = false;
    state.upload.start(file);
  }

  function renderFailed(state) {
    $('.info-status').textContent = T.uploadFailed;
    $('.info-progress-num').hidden = true;
    // A fresh "Select file" button for every failure, as React renders it.
    const reselect = $('.reselect');
    reselect.innerHTML = '<button type="button" aria-label="Select file"></button><input type="file" accept="video/*" style="display:none">';
    const input = $('input', reselect);
    $('button', reselect).textContent = T.replace;
    $('button', reselect).addEventListener('click', () => input.click());
    input.addEventListener('change', (e) => { if (e.target.files[0]) startUpload(state, e.target.files[0]); });
    reselect.hidden = false;
  }

  // switchOn tells whether the switch in the element sel is on (false when
  // it is not there).
  function switchOn(sel) {
    const sw = $(sel + ' .Switch__content');
    return !!sw && sw.getAttribute('aria-checked') === 'true';
  }

  function initForm(state, file) {
    // TikTok prefills the caption with the file name.
    $('.public-DraftEditor-content').textContent = file.name.replace(/\.[^.]+$/, '');
    initCover(state);
    initDisclosures();
    initSchedule(state);

    // Post asks to confirm first (see upload.html).
    const confirm = $('#post-confirm');
    $('button[data-e2e="post_video_button"]').addEventListener('click', () => {
      if (!state.done) { toast(T.stillUploading); return; }
      confirm.hidden = false;
    });
    $('[data-action="cancel"]', confirm).addEventListener('click', () => { confirm.hidden = true; });
    $('[data-action="post-now"]', confirm).addEventListener('click', () => {
      confirm.hidden = true;
      submit(state);
    });
  }

  function initCover(state) {
    const panel = $('.cover-edit-panel');
    const area = $('.upload-image-upload-area', panel);
    const ok = $('[data-action="confirm"]', panel);
    let pending = '';
    const container = $('.cover-container');
    if (container) {
      container.addEventListener('click', () => {
        pending = '';
        ok.disabled = true;
        panel.classList.remove('hide-panel');
      });
    }
    $$('.cover-edit-container .tab', panel).forEach((tab) => tab.addEventListener('click', () => {
      area.hidden = tab.dataset.tab !== 'upload';
    }));
    $('input', area).addEventListener('change', (e) => {
      const f = e.target.files[0];
      if (!f) return;
      kit.sendFile('/tiktok/web/project/cover/upload/', f).then((j) => {
        if (j.status_code !== 0) { toast(j.status_msg || T.coverFailed); return; }
        pending = j.data.cover_id;
        const img = $('.cover-preview', panel);
        img.src = URL.createObjectURL(f);
        img.hidden = false;
        ok.disabled = false;
      });
    });
    $('[data-action="cancel"]', panel).addEventListener('click', () => panel.classList.add('hide-panel'));
    ok.addEventListener('click', () => {
      state.coverId = pending;
      const img = $('.cover-container img');
      if (img) {
        img.src = $('.cover-preview', panel).src;
        img.hidden = false;
      }
      panel.classList.add('hide-panel');
    });
  }

  // Show more: the content disclosures. Turning AI-generated content on
  // waits for its dialog's confirmation; off needs none.
  function initDisclosures() {
    const more = $('.more-settings');
    const btn = $('.more-btn');
    btn.addEventListener('click', () => { more.hidden = false; btn.hidden = true; });
    const set = (row, on) => $('.Switch__content', row).setAttribute('aria-checked', String(on));
    const modal = $('#aigc-modal');
    const aigc = $('[data-e2e="aigc_container"]', more);
    if (aigc) {
      $('.Switch__root', aigc).addEventListener('click', () => {
        if (switchOn('[data-e2e="aigc_container"]')) set(aigc, false);
        else modal.hidden = false;
      });
    }
    $('[data-action="turn-on"]', modal).addEventListener('click', () => {
      modal.hidden = true;
      const row = $('[data-e2e="aigc_container"]');
      if (row) set(row, true);
    });
    $('[data-action="cancel"]', modal).addEventListener('click', () => { modal.hidden = true; });
    const disclose = $('[data-setting="disclose"]', more);
    $('.Switch__root', disclose).addEventListener('click', () => {
      const on = !switchOn('[data-setting="disclose"]');
      set(disclose, on);
      $('.disclose-options', more).hidden = !on;
    });
  }

  // Schedule: the Allow dialog the first time, then a date (a calendar
  // whose title is the month's name only, SAU TK:99) and a time (hours, and
  // minutes in 5-minute steps, SAU TK:123-136).
  function initSchedule(state) {
    const picker = $('.scheduled-picker');
    const cal = $('.calendar-wrapper', picker);
    const times = $('.tiktok-timepicker-option-list', picker);
    const postLabel = $('button[data-e2e="post_video_button"] .TUXButton-label');
    const pad = (n) => String(n).padStart(2, '0');
    const today = new Date();
    today.setHours(0, 0, 0, 0);
    const last = new Date(today.getTime() + 10 * 86400000);
    const start = new Date(Date.now() + 20 * 60000);
    state.date = new Date(start.getFullYear(), start.getMonth(), start.getDate());
    state.hour = start.getHours();
    state.minute = Math.ceil(start.getMinutes() / 5) * 5 % 60;
    let view = null;
    function sync() {
      const d = state.date;
      $('.date-box', picker).textContent = d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate());
      $('.time-box', picker).textContent = pad(state.hour) + ':' + pad(state.minute);
    }
    function renderMonth() {
      $('.month-title', cal).textContent = T.months[view.getMonth()];
      const box = $('.days-wrapper', cal);
      box.innerHTML = '';
      const n = new Date(view.getFullYear(), view.getMonth() + 1, 0).getDate();
      for (let d = 1; d <= n; d++) {
        const date = new Date(view.getFullYear(), view.getMonth(), d);
        const s = document.createElement('span');
        s.className = 'day' + (date >= today && date <= last ? ' valid' : '');
        s.textContent = String(d);
        s.addEventListener('click', () => {
          if (!s.classList.contains('valid')) return;
          state.date = date;
          cal.hidden = true;
          sync();
        });
        box.appendChild(s);
      }
    }
    function renderTimes() {
      const left = $('.left', times);
      const right = $('.right', times);
      left.innerHTML = '';
      right.innerHTML = '';
      for (let h = 0; h < 24; h++) {
        const s = document.createElement('span');
        s.className = 'tiktok-timepicker-left';
        s.textContent = pad(h);
        s.addEventListener('click', () => { state.hour = h; sync(); });
        left.appendChild(s);
      }
      for (let m = 0; m < 60; m += 5) {
        const s = document.createElement('span');
        s.className = 'tiktok-timepicker-right';
        s.textContent = pad(m);
        s.addEventListener('click', () => { state.minute = m; times.hidden = true; sync(); });
        right.appendChild(s);
      }
    }
    const scheduled = () => ($('input[name="postSchedule"]:checked') || {}).value === 'schedule';
    function show(on) {
      picker.hidden = !on;
      postLabel.textContent = on ? T.schedulePost : T.post;
      sync();
    }
    const allow = $('#allow-modal');
    $$('input[name="postSchedule"]').forEach((r) => r.addEventListener('change', () => {
      if (scheduled() && !state.allowed) { allow.hidden = false; return; }
      show(scheduled());
    }));
    $('[data-action="allow"]', allow).addEventListener('click', () => {
      state.allowed = true;
      allow.hidden = true;
      show(true);
    });
    $('[data-action="cancel"]', allow).addEventListener('click', () => {
      allow.hidden = true;
      $('input[name="postSchedule"][value="now"]').checked = true;
    });
    // The calendar opens on the month of the date it holds (moved by the
    // test knob SetCalendarOffset).
    const offset = parseInt(document.documentElement.dataset.calendarOffset || '0', 10) || 0;
    $('.date-box', picker).addEventListener('click', () => {
      times.hidden = true;
      view = new Date(state.date.getFullYear(), state.date.getMonth() + offset, 1);
      renderMonth();
      cal.hidden = false;
    });
    $('.time-box', picker).addEventListener('click', () => { cal.hidden = true; renderTimes(); times.hidden = false; });
    const arrows = $$('.arrow', cal);
    arrows[0].addEventListener('click', () => { view = new Date(view.getFullYear(), view.getMonth() - 1, 1); renderMonth(); });
    arrows[1].addEventListener('click', () => { view = new Date(view.getFullYear(), view.getMonth() + 1, 1); renderMonth(); });
    state.scheduled = scheduled;
  }

  async function submit(state) {
    const d = state.date;
    const disclose = switchOn('[data-setting="disclose"]') ? $$('.disclose-options input:checked').map((i) => i.value) : null;
    const body = {
      video_id: state.videoId,
      caption: $('.public-DraftEditor-content').innerText,
      cover_id: state.coverId,
      aigc: switchOn('[data-e2e="aigc_container"]'),
      disclose,
      schedule: state.scheduled() ? Math.floor(new Date(d.getFullYear(), d.getMonth(), d.getDate(), state.hour, state.minute).getTime() / 1000) : 0,
    };
    const j = await kit.send('POST', '/tiktok/web/project/post/', body);
    if (!j) return;
    if (j.status_code === 0) kit.published(success, () => { location.href = '/tiktokstudio/content?lang=en'; }, T.published);
    else toast(j.status_msg);
  }

  // The login methods are clickable cards.
  function login() {
    $$('div[data-e2e="channel-item"]').forEach((item) => item.addEventListener('click', (e) => {
      const a = $('a', item);
      if (a && e.target !== a) location.href = a.href;
    }));
  }

  switch (document.body.dataset.page) {
    case 'login': login(); break;
    case 'login-qr': loginQR(); break;
    case 'upload': uploadPage(); break;
    case 'home': home(); break;
  }
})();
