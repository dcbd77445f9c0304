// Fake Kuaishou creator and passport pages: just enough behaviour for the
// driver's flows.
(function () {
  'use strict';
  const kit = window.fakesite;
  const { $ } = kit;
  const PUBLISH = '/article/publish/video';
  const MANAGE_AFTER_PUBLISH = '/article/manage/video?status=2&from=publish';

  // loginURL is the passport login with the callback back to the creator site.
  function loginURL() {
    const follow = location.origin + PUBLISH;
    const callback = location.origin + '/rest/infra/sts?followUrl=' + encodeURIComponent(follow) + '&setRootDomain=true';
    return '/pc/account/login/?sid=kuaishou.web.cp.api&callback=' + encodeURIComponent(callback);
  }

  kit.toLogin = () => { location.href = loginURL(); };

  const message = kit.toaster({
    wrap: '#messages', className: 'ant-message-notice',
    html: '<div class="ant-message-notice-content"><div class="ant-message-custom-content ant-message-error"><span></span></div></div>', text: 'span',
  });

  // ---- creator landing ----------------------------------------------------
  function landingPage() {
    $('#login-link').href = loginURL();
  }

  // ---- passport login -----------------------------------------------------
  function loginPage() {
    const qr = $('#qr-login');
    const sms = $('#sms-login');
    const img = $('img[alt="qrcode"]', qr);
    const scanned = $('.qrcode-status-scanned', qr);
    const expired = $('.qrcode-status-timeout', qr);
    const callback = new URLSearchParams(location.search).get('callback') ||
      location.origin + '/rest/infra/sts?followUrl=' + encodeURIComponent(location.origin + '/profile');
    const code = kit.qrBehindSMS($('.platform-switch'), qr, sms, {
      create: kit.newQR('/rest/c/infra/ks/qr/start', img, 'imageData', 'qrLoginToken'),
      check: kit.pollQR('/rest/c/infra/ks/qr/scanResult?qrLoginToken='),
      show: kit.showQR(scanned, expired),
      confirmed(j) {
        location.href = callback + (callback.includes('?') ? '&' : '?') + 'authToken=' + encodeURIComponent(j.authToken);
      },
    });
    $('.qrcode-refresh', qr).addEventListener('click', code.refresh);
  }

  // ---- upload page and publish form (one URL, like the real SPA) ----------
  function publishPage() {
    const state = { file: null, fileId: null, done: false, declaration: '', coverKey: '', schedule: '' };
    state.upload = kit.uploader({
      url: '/rest/cp/works/v2/video/pc/upload',
      status: '/rest/cp/works/v2/video/pc/upload/status',
      key: 'fileId',
      ok: (j) => j.result === 1,
      uploaded: (id) => { state.fileId = id; },
      progress: uploadStatus.progress,
      failed: () => uploadStatus.failed((f) => startUpload(state, f)),
      done: () => { state.done = true; uploadStatus.done(state.file.name); },
    });
    const input = $('#upload-view input[type="file"]');
    $('#upload-view button').addEventListener('click', () => input.click());
    input.addEventListener('change', () => {
      const f = input.files[0];
      if (!f) return;
      $('#upload-view').remove();
      $('#main').appendChild($('#form-tpl').content.cloneNode(true));
      document.body.appendChild($('#guide-tpl').content.cloneNode(true));
      document.body.appendChild($('#notice-tpl').content.cloneNode(true));
      initForm(state);
      startUpload(state, f);
    });
  }

  // The upload's state above the form: progress, 上传失败 with a new file
  // input, or 上传成功.
  const uploadStatus = kit.statusBox({
    progress: '<div class="progress-div"><div class="_progress-text_3jk2_7"></div><div class="ant-progress"><div class="ant-progress-bg"></div></div></div>',
    text: '._progress-text_3jk2_7',
    bar: '.ant-progress-bg',
    failed: '<div class="progress-div"><div class="_fail-text_3jk2_6">上传失败</div>' +
      '<div class="_reupload_3jk2_9"><input class="upload-btn-input-k2s" type="file" accept="video/*"><span>重新上传</span></div></div>',
    done: '<div class="_upload-success_3jk2_8"><span class="_file-name_3jk2_9"></span> <span>上传成功</span></div>',
    name: '._file-name_3jk2_9',
  });

  function startUpload(state, file) {
    state.file = file;
    state.fileId = null;
    state.done = false;
    state.upload.start(file);
  }

  function initForm(state) {
    // Onboarding guide and notice.
    document.querySelectorAll('#react-joyride-step-0 button').forEach((b) => b.addEventListener('click', () => {
      document.querySelectorAll('#react-joyride-portal, #react-joyride-step-0').forEach((el) => el.remove());
    }));
    $('#notice button').addEventListener('click', () => $('#notice').remove());

    // 作者声明: an ant-select whose dropdown lives at the end of the body.
    const dropdown = $('#decl-dropdown');
    $('#decl-select .ant-select-selector').addEventListener('click', () => { dropdown.hidden = !dropdown.hidden; });
    dropdown.addEventListener('click', (e) => {
      const opt = e.target.closest('.ant-select-item-option');
      if (!opt) return;
      state.declaration = opt.getAttribute('label');
      const item = $('#decl-select .ant-select-selection-item');
      item.textContent = state.declaration;
      item.hidden = false;
      $('#decl-select .ant-select-selection-placeholder').hidden = true;
      dropdown.hidden = true;
    });

    // Cover dialog.
    const root = $('#cover-root');
    const ok = $('button[data-action="ok"]', root);
    let coverKey = '';
    $('#cover-entry').addEventListener('click', () => { root.hidden = false; });
    root.querySelectorAll('[role="tab"]').forEach((tab) => tab.addEventListener('click', () => {
      root.querySelectorAll('[role="tab"]').forEach((t) => t.classList.toggle('ant-tabs-tab-active', t === tab));
      root.querySelectorAll('[data-panel]').forEach((p) => { p.hidden = p.dataset.panel !== tab.dataset.tab; });
    }));
    const coverInput = $('.ant-upload input[type="file"]', root);
    $('.ant-upload', root).addEventListener('click', (e) => { if (e.target !== coverInput) coverInput.click(); });
    coverInput.addEventListener('change', () => {
      const f = coverInput.files[0];
      if (!f) return;
      kit.sendFile('/rest/cp/works/v2/video/pc/cover/upload', f).then((j) => {
        if (j.result !== 1) { message(j.message || '封面上传失败'); return; }
        coverKey = j.data.coverKey;
        const img = $('._cover-preview_6h2_21', root);
        img.src = URL.createObjectURL(f);
        img.hidden = false;
        ok.disabled = false;
      });
    });
    $('button[data-action="cancel"]', root).addEventListener('click', () => { root.hidden = true; });
    ok.addEventListener('click', () => {
      state.coverKey = coverKey;
      const img = $('#cover-img');
      img.src = $('._cover-preview_6h2_21', root).src;
      img.hidden = false;
      root.hidden = true;
    });

    // Schedule: the date input is readonly and controlled like a React
    // input, so only a value set with the native setter and announced with
    // an input event reaches the form's state.
    const picker = $('#date-picker');
    const panel = $('#picker-panel');
    document.querySelectorAll('input[name="timing"]').forEach((r) => r.addEventListener('change', () => {
      const sched = $('input[name="timing"]:checked').value === 'schedule';
      picker.hidden = !sched;
      document.querySelectorAll('.ant-radio-wrapper').forEach((l) => l.classList.toggle('ant-radio-wrapper-checked', $('input', l).checked));
    }));
    const dateInput = $('input[placeholder="选择日期时间"]');
    const native = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value');
    let tracked = dateInput.value;
    Object.defineProperty(dateInput, 'value', {
      configurable: true,
      get() { return native.get.call(this); },
      set(v) { tracked = String(v); native.set.call(this, v); },
    });
    const onValue = () => {
      const v = native.get.call(dateInput);
      if (v === tracked) return;
      tracked = v;
      state.schedule = v;
    };
    dateInput.addEventListener('input', onValue);
    dateInput.addEventListener('change', onValue);
    dateInput.addEventListener('click', () => { panel.hidden = false; });
    dateInput.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      panel.hidden = true;
      if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(state.schedule)) message('请选择正确的发布时间');
    });
    $('button', panel).addEventListener('click', () => { panel.hidden = true; });

    $('#publish-btn').addEventListener('click', () => publish(state));
    const confirmRoot = $('#confirm-root');
    $('button[data-action="cancel"]', confirmRoot).addEventListener('click', () => { confirmRoot.hidden = true; });
    $('button[data-action="ok"]', confirmRoot).addEventListener('click', () => { confirmRoot.hidden = true; submit(state); });
  }

  function publish(state) {
    // The onboarding overlay covers the page and swallows the click.
    if ($('#react-joyride-portal')) return;
    if (!state.done) { message('视频正在上传中，请稍后发布'); return; }
    if ($('input[name="timing"]:checked').value === 'schedule') {
      $('#confirm-text').textContent = '作品将于 ' + state.schedule + ' 发布';
      $('#confirm-root').hidden = false;
      return;
    }
    submit(state);
  }

  async function submit(state) {
    const timing = $('input[name="timing"]:checked').value;
    const body = {
      fileId: state.fileId,
      caption: $('#work-description-edit').innerText,
      declaration: state.declaration,
      coverKey: state.coverKey,
      timing,
      schedule: timing === 'schedule' ? state.schedule : '',
    };
    const j = await kit.send('POST', '/rest/cp/works/v2/video/pc/submit', body);
    if (!j) return;
    if (j.result === 1) location.href = MANAGE_AFTER_PUBLISH;
    else message(j.message);
  }

  switch (document.body.dataset.page) {
    case 'landing': landingPage(); break;
    case 'login': loginPage(); break;
    case 'publish': publishPage(); break;
  }
})();
