// Fake TikTok pages: just enough behaviour for the driver's flows.
(function () {
  'use strict';
  const kit = window.fakesite;
  const { $, api } = kit;
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  kit.toLogin = () => { location.href = '/login?lang=en&redirect_url=' + encodeURIComponent(location.href); };
  const toast = kit.toaster({ wrap: '#toasts', className: 'TUXTopToast-content' });

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
        $('.info-status').textContent = 'Uploaded';
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
      $('#main').appendChild($('#form-tpl').content.cloneNode(true));
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
    $('.info-status').textContent = 'Uploading...';
    $('.info-progress-num').hidden = false;
    state.upload.start(file);
  }

  function renderFailed(state) {
    $('.info-status').textContent = "Couldn't upload. Try again.";
    $('.info-progress-num').hidden = true;
    // A fresh "Select file" button for every failure, as React renders it.
    const reselect = $('.reselect');
    reselect.innerHTML = '<button type="button" aria-label="Select file">Replace</button><input type="file" accept="video/*" style="display:none">';
    const input = $('input', reselect);
    $('button', reselect).addEventListener('click', () => input.click());
    input.addEventListener('change', (e) => { if (e.target.files[0]) startUpload(state, e.target.files[0]); });
    reselect.hidden = false;
  }

  function initForm(state, file) {
    // TikTok prefills the caption with the file name.
    $('.public-DraftEditor-content').textContent = file.name.replace(/\.[^.]+$/, '');

    // Cover editor.
    const panel = $('.cover-edit-panel');
    const area = $('.upload-image-upload-area', panel);
    const ok = $('[data-action="confirm"]', panel);
    let pending = '';
    $('.cover-container').addEventListener('click', () => {
      pending = '';
      ok.disabled = true;
      panel.classList.remove('hide-panel');
    });
    $$('.cover-edit-container .tab', panel).forEach((tab) => tab.addEventListener('click', () => {
      area.hidden = tab.textContent.trim() !== 'Upload cover';
    }));
    $('input', area).addEventListener('change', (e) => {
      const f = e.target.files[0];
      if (!f) return;
      kit.sendFile('/tiktok/web/project/cover/upload/', f).then((j) => {
        if (j.status_code !== 0) { toast(j.status_msg || "Couldn't upload the cover"); return; }
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
      img.src = $('.cover-preview', panel).src;
      img.hidden = false;
      panel.classList.add('hide-panel');
    });

    // Show more: content disclosure.
    const more = $('.more-settings');
    $('.more-btn').addEventListener('click', () => { more.hidden = false; $('.more-btn').hidden = true; });
    $$('[role="switch"]', more).forEach((sw) => sw.addEventListener('click', () => {
      const on = sw.getAttribute('aria-checked') !== 'true';
      sw.setAttribute('aria-checked', String(on));
      if (sw.closest('[data-setting="disclose"]')) $('.disclose-options', more).hidden = !on;
    }));

    // Schedule.
    const picker = $('.scheduled-picker');
    const cal = $('.calendar-wrapper', picker);
    const times = $('.tiktok-timepicker-option-list', picker);
    const pad = (n) => String(n).padStart(2, '0');
    const today = new Date();
    today.setHours(0, 0, 0, 0);
    const last = new Date(today.getTime() + 10 * 86400000);
    const start = new Date(Date.now() + 20 * 60000);
    state.date = new Date(start.getFullYear(), start.getMonth(), start.getDate());
    state.hour = start.getHours();
    state.minute = Math.ceil(start.getMinutes() / 5) * 5 % 60;
    let view = new Date(today.getFullYear(), today.getMonth(), 1);
    const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
    function sync() {
      const d = state.date;
      $('.date-box', picker).textContent = d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate());
      $('.time-box', picker).textContent = pad(state.hour) + ':' + pad(state.minute);
    }
    function renderMonth() {
      $('.month-title', cal).textContent = months[view.getMonth()] + ' ' + view.getFullYear();
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
    const allow = $('#allow-modal');
    $$('input[name="postSchedule"]').forEach((r) => r.addEventListener('change', () => {
      const on = $('input[name="postSchedule"]:checked').value === 'schedule';
      if (on && !state.allowed) { allow.hidden = false; return; }
      picker.hidden = !on;
      sync();
    }));
    $('[data-action="allow"]', allow).addEventListener('click', () => {
      state.allowed = true;
      allow.hidden = true;
      picker.hidden = false;
      sync();
    });
    $('[data-action="cancel"]', allow).addEventListener('click', () => {
      allow.hidden = true;
      $('input[name="postSchedule"][value="now"]').checked = true;
    });
    $('.date-box', picker).addEventListener('click', () => { times.hidden = true; renderMonth(); cal.hidden = false; });
    $('.time-box', picker).addEventListener('click', () => { cal.hidden = true; renderTimes(); times.hidden = false; });
    const arrows = $$('.arrow', cal);
    arrows[0].addEventListener('click', () => { view = new Date(view.getFullYear(), view.getMonth() - 1, 1); renderMonth(); });
    arrows[1].addEventListener('click', () => { view = new Date(view.getFullYear(), view.getMonth() + 1, 1); renderMonth(); });

    $('button[data-e2e="post_video_button"]').addEventListener('click', () => submit(state));
  }

  async function submit(state) {
    if (!state.done) { toast('Your video is still uploading'); return; }
    const scheduled = $('input[name="postSchedule"]:checked').value === 'schedule';
    const d = state.date;
    const disclose = $('[data-setting="disclose"] [role="switch"]').getAttribute('aria-checked') === 'true'
      ? $$('.disclose-options input:checked').map((i) => i.value) : null;
    const body = {
      video_id: state.videoId,
      caption: $('.public-DraftEditor-content').innerText,
      cover_id: state.coverId,
      aigc: $('[data-setting="aigc"] [role="switch"]').getAttribute('aria-checked') === 'true',
      disclose,
      schedule: scheduled ? Math.floor(new Date(d.getFullYear(), d.getMonth(), d.getDate(), state.hour, state.minute).getTime() / 1000) : 0,
    };
    const j = await kit.send('POST', '/tiktok/web/project/post/', body);
    if (!j) return;
    if (j.status_code === 0) location.href = '/tiktokstudio/content?lang=en';
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
  }
})();
