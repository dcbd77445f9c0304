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

  // The site's messages are ant-design's: the type is the class of the
  // custom content (.ant-message-error, .ant-message-success); that the
  // site uses antd's message is assumed from its antd form controls.
  const antMessage = (type) => kit.toaster({
    wrap: '#messages', className: 'ant-message-notice',
    html: '<div class="ant-message-notice-content"><div class="ant-message-custom-content ant-message-' + type + '"><span></span></div></div>', text: 'span',
  });
  const message = antMessage('error');
  const success = antMessage('success');

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
    const state = { file: null, fileId: null, done: false, declaration: '', collection: '', coverKey: '', schedule: '' };
    state.upload = kit.uploader({
      url: '/rest/cp/works/v2/video/pc/upload',
      status: '/rest/cp/works/v2/video/pc/upload/status',
      key: 'fileId',
      ok: (j) => j.result === 1,
      uploaded: (id) => { state.fileId = id; },
      progress: uploadStatus.progress,
      failed: () => {
        uploadStatus.failed((f) => startUpload(state, f));
        // 重新上传 opens the chooser of the input next to it; SAU sets that
        // input's files directly (K:570-572), which works too.
        const input = $('#upload-status .progress-div [class^="upload-btn-input"]');
        input.parentElement.addEventListener('click', (e) => { if (e.target !== input) input.click(); });
      },
      done: () => { state.done = true; uploadStatus.done(state.file.name); },
    });
    // The upload button opens the file chooser (SAU K:629-635). The input
    // exists only from the click on (assumed: the page makes it then), so a
    // driver must take the chooser the click opens.
    // The 图文 tab turns the button into 上传图片, whose chooser takes
    // several images (platform-flows.md §3.3 "Image note").
    const button = $('#upload-view button');
    document.querySelectorAll('#upload-view [role="tab"]').forEach((tab) => tab.addEventListener('click', () => {
      state.note = tab.dataset.kind === 'note';
      document.querySelectorAll('#upload-view [role="tab"]').forEach((t) => t.classList.toggle('_tab-active_ysbff_22', t === tab));
      button.textContent = state.note ? '上传图片' : '上传视频';
    }));
    button.addEventListener('click', () => {
      const old = $('#upload-view input[type="file"]');
      if (old) old.remove();
      const input = document.createElement('input');
      input.type = 'file';
      input.accept = state.note ? 'image/png,image/jpeg,image/webp' : 'video/*,.mp4,.mov,.flv,.f4v,.webm,.mkv,.m4v,.wmv,.avi';
      input.multiple = !!state.note;
      input.style.display = 'none';
      input.addEventListener('change', () => {
        const f = input.files[0];
        if (!f) return;
        if (state.note) { noteUpload(state, Array.from(input.files)); return; }
        $('#upload-view').remove();
        $('#main').appendChild($('#form-tpl').content.cloneNode(true));
        document.body.appendChild($('#guide-tpl').content.cloneNode(true));
        document.body.appendChild($('#notice-tpl').content.cloneNode(true));
        initForm(state);
        startUpload(state, f);
      });
      $('#upload-view').appendChild(input);
      input.click();
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

  // noteUpload shows the form over a note's images and uploads them in
  // order, 上传中 until the last is in (the rest is the video's flow,
  // §3.3 "Image note"; the progress per image is assumed).
  async function noteUpload(state, files) {
    $('#upload-view').remove();
    $('#main').appendChild($('#form-tpl').content.cloneNode(true));
    document.body.appendChild($('#guide-tpl').content.cloneNode(true));
    document.body.appendChild($('#notice-tpl').content.cloneNode(true));
    initForm(state);
    $('._cover-title_3jk2_30').closest('._form-item_3jk2_10').remove(); // assumed: a note's cover is its first image
    uploadStatus.progress(0);
    const ids = await kit.sendImages('/rest/cp/works/v2/photo/pc/upload', files,
      (n, total) => uploadStatus.progress(Math.floor(100 * n / total)),
      () => { $('#upload-status').innerHTML = '<div class="progress-div"><div class="_fail-text_3jk2_6">上传失败</div></div>'; });
    if (!ids) return;
    state.imageIds = ids;
    state.done = true;
    uploadStatus.done(files.length + '张图片');
  }

  function startUpload(state, file) {
    state.file = file;
    state.fileId = null;
    state.done = false;
    state.upload.start(file);
  }

  // The onboarding tour (react-joyride) runs over a fresh form: while its
  // step shows, its overlay swallows the clicks meant for the page below it
  // (SAU closes the step and removes the overlay, K:438-491: both must go).
  // Removing only the overlay's DOM leaves the tour running (assumed), so
  // the swallowing is modelled here rather than by the overlay's box. What
  // antd lays above the overlay (modals, dropdowns) stays clickable.
  function guide() {
    document.querySelectorAll('#react-joyride-step-0 button').forEach((b) => b.addEventListener('click', () => {
      document.querySelectorAll('#react-joyride-portal, #react-joyride-step-0').forEach((el) => el.remove());
    }));
    const above = '#react-joyride-step-0, .ant-modal-root, .ant-select-dropdown, .ant-picker-dropdown';
    for (const type of ['mousedown', 'click']) {
      document.addEventListener(type, (e) => {
        if (!$('#react-joyride-step-0') || (e.target.closest && e.target.closest(above))) return;
        e.stopImmediatePropagation();
        e.preventDefault();
      }, true);
    }
  }

  // antSelect makes the ant-design select sel (its dropdown drop) choose
  // an option for pick(label). Like rc-select it opens on mousedown, which
  // a script's element.click() never sends (platform-fidelity.md §Kuaishou;
  // assumed for this site), and an option is chosen by a click on it.
  function antSelect(sel, drop, pick) {
    const selector = $('.ant-select-selector', sel);
    selector.addEventListener('mousedown', (e) => {
      if (!e.isTrusted) return;
      e.preventDefault();
      const open = drop.hidden;
      document.querySelectorAll('.ant-select-dropdown').forEach((d) => { d.hidden = true; });
      drop.hidden = !open;
    });
    drop.addEventListener('click', (e) => {
      const opt = e.target.closest('.ant-select-item-option');
      if (!opt) return;
      const label = opt.getAttribute('label');
      pick(label);
      const item = $('.ant-select-selection-item', sel);
      item.textContent = label;
      item.hidden = false;
      $('.ant-select-selection-placeholder', sel).hidden = true;
      drop.hidden = true;
    });
  }

  // A mousedown outside every select and dropdown closes the open dropdown
  // (rc-select closes on blur).
  document.addEventListener('mousedown', (e) => {
    if (e.target.closest && e.target.closest('.ant-select, .ant-select-dropdown')) return;
    document.querySelectorAll('.ant-select-dropdown').forEach((d) => { d.hidden = true; });
  });

  // The caption editor's topics. A #word becomes a topic only the way a
  // person makes one: typed at the caret, the site's topic search shows its
  // suggestions, and then a space key (or a click on a suggestion) picks
  // it, one topic at a time (SAU types each "#tag " with a pause, K:652-661;
  // that the space picks only once the suggestions show is assumed). Text
  // typed in one go ("#a #b ") stays text. A topic is a chip the caption
  // carries as a topic, not as text.
  function topics(ed) {
    const box = $('#topic-suggest');
    let pending = null; // {node, start, end, tag} of the #word at the caret
    let timer = 0;
    let swallow = false;
    const atCaret = () => {
      const s = getSelection();
      if (!s.rangeCount || !s.isCollapsed) return null;
      const node = s.anchorNode;
      if (!node || node.nodeType !== Node.TEXT_NODE || !ed.contains(node)) return null;
      const m = /#([^\s#]+)$/.exec(node.data.slice(0, s.anchorOffset));
      return m ? { node, start: m.index, end: s.anchorOffset, tag: m[1] } : null;
    };
    const hide = () => { box.hidden = true; box.innerHTML = ''; pending = null; };
    const commit = (tag) => {
      const p = pending;
      hide();
      if (!p || !p.node.isConnected) return;
      const after = p.node.splitText(p.start);
      after.deleteData(0, p.end - p.start);
      const chip = document.createElement('span');
      chip.className = '_topic_3jk2_24';
      chip.contentEditable = 'false';
      chip.dataset.topic = tag;
      chip.textContent = '#' + tag;
      const space = document.createTextNode('\u00a0');
      p.node.parentNode.insertBefore(chip, after);
      p.node.parentNode.insertBefore(space, after);
      const r = document.createRange();
      r.setStart(space, 1);
      r.collapse(true);
      getSelection().removeAllRanges();
      getSelection().addRange(r);
    };
    ed.addEventListener('input', () => {
      clearTimeout(timer);
      const at = atCaret();
      if (!at) { hide(); return; }
      box.hidden = true;
      pending = null;
      // The site's topic search answers after a moment (assumed).
      timer = setTimeout(() => {
        const now = atCaret();
        if (!now || now.tag !== at.tag) return;
        pending = now;
        box.innerHTML = '';
        for (const t of [now.tag, now.tag + '挑战']) {
          const item = document.createElement('div');
          item.className = '_topic-item_3jk2_23';
          item.textContent = '#' + t;
          item.addEventListener('mousedown', (e) => e.preventDefault());
          item.addEventListener('click', () => { pending = atCaret() || pending; commit(t); });
          box.appendChild(item);
        }
        box.hidden = false;
      }, 250);
    });
    ed.addEventListener('keydown', (e) => {
      if (e.key !== ' ' || !e.isTrusted || !pending || box.hidden) return;
      const now = atCaret();
      if (!now || now.tag !== pending.tag) return;
      e.preventDefault();
      swallow = true;
      pending = now;
      commit(now.tag);
    });
    ed.addEventListener('beforeinput', (e) => {
      if (swallow && e.data === ' ') e.preventDefault();
      swallow = false;
    });
    ed.addEventListener('keyup', () => { swallow = false; });
  }

  // caption is the editor's text without its topics, line by line, and the
  // topics in order.
  function caption(ed) {
    const out = { text: '', topics: [] };
    const walk = (node) => {
      for (const n of node.childNodes) {
        if (n.nodeType === Node.TEXT_NODE) { out.text += n.data; continue; }
        if (n.nodeType !== Node.ELEMENT_NODE) continue;
        if (n.dataset.topic) { out.topics.push(n.dataset.topic); continue; }
        if (n.tagName === 'BR') { out.text += '\n'; continue; }
        if (/^(DIV|P)$/.test(n.tagName) && out.text && !out.text.endsWith('\n')) out.text += '\n';
        walk(n);
      }
    };
    walk(ed);
    return out;
  }

  function initForm(state) {
    guide();
    $('#notice button').addEventListener('click', () => $('#notice').remove());
    topics($('#work-description-edit'));

    // 作者声明 and 加入合集: ant-selects whose dropdowns live at the end of
    // the body.
    antSelect($('#decl-select'), $('#decl-dropdown'), (l) => { state.declaration = l; });
    antSelect($('#collection-select'), $('#collection-dropdown'), (l) => { state.collection = l; });

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
    const c = caption($('#work-description-edit'));
    const body = {
      fileId: state.fileId,
      photoIds: state.imageIds || [],
      caption: c.text,
      topics: c.topics,
      declaration: state.declaration,
      collection: state.collection,
      coverKey: state.coverKey,
      timing,
      schedule: timing === 'schedule' ? state.schedule : '',
    };
    const j = await kit.send('POST', '/rest/cp/works/v2/video/pc/submit', body);
    if (!j) return;
    if (j.result === 1) kit.published(success, () => { location.href = MANAGE_AFTER_PUBLISH; }, '发布成功');
    else message(j.message);
  }

  switch (document.body.dataset.page) {
    case 'landing': landingPage(); break;
    case 'login': loginPage(); break;
    case 'publish': publishPage(); break;
  }
})();
