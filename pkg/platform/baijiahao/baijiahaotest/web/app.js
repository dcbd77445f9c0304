// Fake Baijiahao creator and passport pages: just enough behaviour for the
// driver's flows. Citations are platform-flows.md §3.7 (steps of its upload
// flow) and the reference uploader (B:<function>, uploader/
// baijiahao_uploader/main.py); everything else is assumed.
(function () {
  'use strict';
  const kit = window.fakesite;
  const { $ } = kit;
  const LOGIN = '/builder/theme/bjh/login';
  kit.toLogin = () => { location.href = LOGIN; };

  // The site's messages (cheetah, Baidu's ant-design fork): the type is
  // the class of the custom content; errors and warnings are
  // .cheetah-message-error / .cheetah-message-warning (step 7).
  const cheetahMessage = (type) => kit.toaster({
    wrap: '#messages', className: 'cheetah-message-notice',
    html: '<div class="cheetah-message-notice-content"><div class="cheetah-message-custom-content cheetah-message-' + type + '"><span></span></div></div>', text: 'span',
  });
  const error = cheetahMessage('error');
  const success = cheetahMessage('success');

  // ---- login ----------------------------------------------------------------
  // QR login step 1: a click on 登录 opens the passport box; step 2: its QR
  // image is served by URL (…/v2/api/qrcode); the code's request and poll
  // and the scanned/expired overlays are assumed.
  function loginPage() {
    const pop = $('#passport-login-pop');
    const img = $('.tang-pass-qrcode-img', pop);
    let code = null;
    const open = () => {
      pop.hidden = false;
      if (code) return;
      code = kit.qrLogin({
        async create(current) {
          const j = await kit.api('POST', '/v2/api/getqrcode');
          if (current()) img.src = location.origin + '/v2/api/qrcode?sign=' + encodeURIComponent(j.data.sign);
          return j.data.sign;
        },
        check: kit.pollQR('/channel/unicast?channel_id='),
        show: kit.showQR($('.tang-pass-qrcode-scanned', pop), $('.tang-pass-qrcode-expired', pop)),
        // Step 3: the page leaves the login once the BDUSS cookie is set.
        confirmed(j) { location.href = j.redirect_url; },
      });
      code.refresh();
    };
    $('.bjh-header-login').addEventListener('click', open);
    $('.bjh-register-login').addEventListener('click', open);
    $('.tang-pass-qrcode-refresh', pop).addEventListener('click', () => { if (code) code.refresh(); });
  }

  // ---- publish page -----------------------------------------------------------
  function editPage() {
    const state = { videoId: null, done: false, coverKey: '', declaration: '', collection: '', form: false };
    const status = (html) => { $('#upload-status').innerHTML = html; };
    state.upload = kit.uploader({
      url: '/builder/api/video/upload',
      status: '/builder/api/video/status',
      key: 'video_id',
      ok: (j) => j.errno === 0,
      uploaded: (id) => { state.videoId = id; },
      // Step 3: the progress is a bare "NN%" text that goes away when done;
      // 上传失败 is a failure, and the video can be chosen again.
      progress: (pct) => status('<div class="upload-progress"><span class="upload-name"></span><span class="upload-pct">' + pct + '%</span></div>'),
      failed: () => status('<div class="upload-fail">上传失败，请重新上传</div>'),
      done: () => {
        state.done = true;
        status('<div class="upload-done">上传完成</div>');
        // Step 4.5: the site makes a cover from the video a moment after
        // the upload finished.
        setTimeout(() => {
          const box = $('#cover-preview');
          if (box && !state.coverKey && !$('img', box)) {
            box.innerHTML = '<img class="auto-cover" alt="封面" src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%2216%22 height=%229%22/%3E">';
          }
        }, 400);
      },
    });
    const input = $('#upload-view input[type="file"]');
    input.addEventListener('change', () => {
      const f = input.files[0];
      if (!f) return;
      input.value = '';
      if (!state.form) {
        state.form = true;
        $('#drop-tip').hidden = true;
        $('#main').appendChild($('#form-tpl').content.cloneNode(true));
        initForm(state);
        // The editor starts with the file's name (B:_fill_title clears
        // what "可能自动填了文件名").
        $('[contenteditable]', $('#video-form')).textContent = f.name.replace(/\.[^.]+$/, '');
      }
      state.done = false;
      state.videoId = null;
      state.upload.start(f);
    });
  }

  function initForm(state) {
    initCover(state);
    initDeclaration(state);
    initCollection(state);
    $('[data-testid="publish-btn"]').addEventListener('click', () => submit(state, ''));
    const captcha = $('#captcha-modal');
    $('button[data-action="ok"]', captcha).addEventListener('click', () => {
      submit(state, $('.vcode-input', captcha).value.trim());
    });
  }

  // Step 4: 选择封面 opens the modal; 上传 makes its image input (there is
  // none before); the chosen image is uploaded, and only 确定 makes it the
  // cover.
  function initCover(state) {
    const modal = $('#cover-modal');
    const panel = $('#cover-upload-panel', modal);
    const ok = $('button[data-action="ok"]', modal);
    const preview = $('.cover-modal-preview', modal);
    let pending = '';
    $('[data-testid="select-cover"]').addEventListener('click', () => {
      panel.innerHTML = '';
      preview.hidden = true;
      ok.disabled = true;
      pending = '';
      modal.hidden = false;
    });
    $('.cover-upload-btn', modal).addEventListener('click', () => {
      if ($('input', panel)) return;
      const img = document.createElement('input');
      img.type = 'file';
      img.accept = 'image/png,image/jpeg,image/webp';
      panel.appendChild(img);
      img.addEventListener('change', () => {
        const f = img.files[0];
        if (!f) return;
        kit.sendFile('/builder/api/cover/upload', f).then((j) => {
          if (j.errno !== 0) { error(j.errmsg || '封面上传失败'); return; }
          pending = j.data.cover_key;
          preview.src = URL.createObjectURL(f);
          preview.hidden = false;
          ok.disabled = false;
        });
      });
    });
    $('button[data-action="cancel"]', modal).addEventListener('click', () => { modal.hidden = true; });
    ok.addEventListener('click', () => {
      state.coverKey = pending;
      $('#cover-preview').innerHTML = '<img class="custom-cover" alt="封面">';
      $('#cover-preview img').src = preview.src;
      modal.hidden = true;
    });
  }

  // Step 5: the readonly input opens the modal; an option, then 确定.
  function initDeclaration(state) {
    const modal = $('#decl-modal');
    $('#decl-input').addEventListener('click', () => { modal.hidden = false; });
    $('.cheetah-modal-body', modal).addEventListener('click', (e) => {
      const opt = e.target.closest('.decl-option');
      if (!opt) return;
      e.preventDefault();
      modal.querySelectorAll('.decl-option').forEach((o) => {
        const on = o === opt;
        o.classList.toggle('cheetah-radio-wrapper-checked', on);
        $('input', o).checked = on;
      });
    });
    $('button[data-action="cancel"]', modal).addEventListener('click', () => { modal.hidden = true; });
    $('button[data-action="ok"]', modal).addEventListener('click', () => {
      const on = $('input:checked', modal);
      state.declaration = on ? on.value : '';
      $('#decl-input').value = state.declaration;
      modal.hidden = true;
    });
  }

  // Step 6: the select opens on mousedown (rc-select; assumed for cheetah),
  // what is typed in its search input filters the options, and a click
  // picks one.
  function initCollection(state) {
    const sel = $('#collection-select');
    const drop = $('#collection-dropdown');
    const search = $('.cheetah-select-selection-search-input', sel);
    const filter = () => {
      const q = search.value.trim();
      let shown = 0;
      drop.querySelectorAll('.cheetah-select-item-option').forEach((o) => {
        o.hidden = q !== '' && !o.title.includes(q);
        if (!o.hidden) shown++;
      });
      $('.cheetah-select-item-empty', drop).hidden = shown > 0;
      $('.cheetah-select-selection-placeholder', sel).hidden = q !== '' || state.collection !== '';
    };
    $('.cheetah-select-selector', sel).addEventListener('mousedown', (e) => {
      if (e.target !== search) e.preventDefault();
      drop.hidden = false;
      sel.classList.add('cheetah-select-open');
      search.focus();
      filter();
    });
    search.addEventListener('input', filter);
    drop.addEventListener('mousedown', (e) => e.preventDefault());
    drop.addEventListener('click', (e) => {
      const opt = e.target.closest('.cheetah-select-item-option');
      if (!opt) return;
      state.collection = opt.title;
      const item = $('.cheetah-select-selection-item', sel);
      item.textContent = opt.title;
      item.hidden = false;
      search.value = '';
      drop.hidden = true;
      sel.classList.remove('cheetah-select-open');
      filter();
    });
    document.addEventListener('mousedown', (e) => {
      if (e.target.closest && e.target.closest('#collection-select, #collection-dropdown')) return;
      drop.hidden = true;
      sel.classList.remove('cheetah-select-open');
    });
  }

  // Step 7: 发布 sends the form. The site may answer with 百度安全验证, a
  // captcha (assumed: characters drawn in an image, typed in its input,
  // sent with 确定 along with the publish).
  async function submit(state, code) {
    const ed = $('[contenteditable]', $('#video-form'));
    const body = {
      video_id: state.videoId || '',
      title: (ed.innerText || '').trim(),
      cover_key: state.coverKey,
      auto_cover: !!$('#cover-preview img.auto-cover'),
      declaration: state.declaration,
      collection: state.collection,
    };
    if (code) body.verify_code = code;
    const j = await kit.send('POST', '/pcui/article/publish', body);
    if (!j) return;
    const captcha = $('#captcha-modal');
    if (j.errno === 20050) {
      showCaptcha(captcha, !!code);
      return;
    }
    captcha.hidden = true;
    if (j.errno !== 0) { error(j.errmsg); return; }
    kit.published(success, () => { location.href = '/builder/rc/clue?from=publish'; }, '发布成功');
  }

  // showCaptcha draws the code the simulated check "sent" as the captcha
  // image (the fake's own state endpoint stands for the image server).
  async function showCaptcha(modal, wrong) {
    $('.vcode-error', modal).hidden = !wrong;
    $('.vcode-input', modal).value = '';
    modal.hidden = false;
    const st = await (await fetch('/__fake__/state')).json();
    const c = $('.vcode-img', modal).getContext('2d');
    c.clearRect(0, 0, 120, 40);
    c.font = '24px monospace';
    c.fillText(st.verification_code || '', 8, 30);
  }

  switch (document.body.dataset.page) {
    case 'login': loginPage(); break;
    case 'edit': editPage(); break;
  }
})();
