// Fake weibo.com and passport.weibo.com pages: just enough behaviour for
// the driver's flows. Citations are to platform-flows.md §3.9 and the
// original tool (uploader/weibo_uploader/main.py, W:<line>); the rest is
// assumed.
(function () {
  'use strict';
  const kit = window.fakesite;
  const { $ } = kit;
  const NEWLOGIN = '/newlogin?tabtype=weibo&gid=102803&openLoginLayer=0&url=https%3A%2F%2Fweibo.com%2F';

  // An API call without a session sends the page to the visitor login,
  // as weibo.com's pages do (W:31, assumed for the publish page).
  kit.toLogin = () => { location.href = NEWLOGIN; };

  // The site's messages (woo toasts; assumed): the type is in the class.
  const toast = (type) => kit.toaster({ wrap: '#toasts', className: 'woo-toast-main woo-toast-' + type,
    html: '<span class="woo-toast-body"></span>', text: 'span' });
  const message = toast('error');
  const success = toast('success');

  // ---- home -----------------------------------------------------------------
  // The 视频 entry opens the publish page in a NEW WINDOW: the tool clicks
  // it inside expect_popup and works in the popup (§3.9 step 1, W:373-383),
  // so a driver that stays in the first tab finds no publish form.
  function homePage() {
    $('#video-entry').addEventListener('click', () => { window.open('/upload/channel?entry=home', '_blank'); });
  }

  // ---- passport sign-in ---------------------------------------------------------
  function loginPage() {
    const box = $('#qr-box');
    const img = $('img.qrcode_img', box);
    const code = kit.qrLogin({
      create: kit.newQR('/sso/v2/qrcode/image', img, 'image', 'qrid'),
      check: kit.pollQR('/sso/v2/qrcode/check?qrid='),
      show: kit.showQR($('.qrcode_scanned', box), $('.qrcode_expired', box)),
      // Back on weibo.com with the SUB cookie set (§3.9 QR login).
      confirmed(j) { location.href = j.redirect_url; },
    });
    $('.qrcode_refresh', box).addEventListener('click', code.refresh);
    code.refresh();
  }

  // ---- publish page (the popup) ------------------------------------------------
  function publishPage() {
    const state = { file: null, mediaId: null, done: false, declaration: '', collection: '', coverPid: '' };
    const show = (name) => {
      document.querySelectorAll('#status ._info_1ajsk_5').forEach((el) => {
        el.style.display = el.dataset.state === name ? '' : 'none';
      });
      // A failure shows anew each time, as the page re-renders it.
      const fail = $('#fail');
      if (name === 'failed') fail.innerHTML = '<span>上传失败</span> <button type="button" class="woo-button-main" id="reupload"><span class="woo-button-content">重新上传</span></button>';
      fail.hidden = name !== 'failed';
    };
    const upload = kit.uploader({
      url: '/ajax/multimedia/upload',
      status: '/ajax/multimedia/status',
      key: 'media_id',
      ok: (j) => j.ok === 1,
      uploaded: (id) => { state.mediaId = id; },
      progress(pct) {
        show('uploading');
        const mb = (n) => (n / 1048576).toFixed(2) + 'MB';
        $('._pct_1ajsk_10').textContent = pct + '%';
        $('._num_1ajsk_9').textContent = mb(state.file.size * pct / 100) + '/' + mb(state.file.size);
      },
      failed: () => show('failed'),
      done: () => { state.done = true; show('done'); },
    });
    const start = (f) => {
      state.file = f;
      state.mediaId = null;
      state.done = false;
      upload.start(f);
    };
    // A button that opens the file chooser: the input is made on the click
    // and hidden, so only the chooser reaches it (§3.9 step 2: role button
    // 上传视频 with expect_file_chooser, W:385-396).
    const chooser = (onFile) => {
      const input = document.createElement('input');
      input.type = 'file';
      input.accept = 'video/*';
      input.style.display = 'none';
      input.addEventListener('change', () => { if (input.files[0]) onFile(input.files[0]); input.remove(); });
      document.body.appendChild(input);
      input.click();
    };
    $('#upload-btn').addEventListener('click', () => chooser((f) => {
      $('#upload-view').remove();
      $('#form').hidden = false;
      start(f);
    }));
    $('#fail').addEventListener('click', (e) => { if (e.target.closest('#reupload')) chooser(start); });

    declaration(state);
    cover(state);
    collection(state);

    $('#publish-btn').addEventListener('click', async () => {
      if (!state.done) { message('视频正在上传中，请稍后发布'); return; }
      const body = {
        media_id: state.mediaId, title: $('#title').value, content: $('#content').value,
        declaration: state.declaration, collection: state.collection, cover_pid: state.coverPid,
      };
      const j = await kit.send('POST', '/ajax/video/publish', body);
      if (!j) return;
      if (j.ok !== 1) { message(j.msg); return; }
      // Success is the layer with 再发一条视频 (§3.9 step 10, W:757-765).
      kit.published(success, async () => {
        if (await kit.send('GET', '/ajax/video/result?mid=' + encodeURIComponent(j.data.mid))) $('#success-layer').style.display = '';
      }, '发布成功');
    });
  }

  // 内容声明: the trigger opens the panel, a click checks an option, 确定
  // applies it and closes the panel (§3.9 step 5, W:574-617).
  function declaration(state) {
    const panel = $('#decl-panel');
    let picked = '';
    $('#decl-ctrl').addEventListener('click', () => { panel.hidden = !panel.hidden; });
    panel.querySelectorAll('._option_nsgmr_140').forEach((b) => b.addEventListener('click', () => {
      panel.querySelectorAll('._check_nsgmr_237').forEach((c) => c.classList.remove('_checkActive_nsgmr_251'));
      $('._check_nsgmr_237', b).classList.add('_checkActive_nsgmr_251');
      picked = $('._optionLabel_nsgmr_150', b).textContent;
    }));
    $('._footer_nsgmr_270 button', panel).addEventListener('click', () => {
      if (picked) { state.declaration = picked; $('#decl-value').textContent = picked; }
      panel.hidden = true;
    });
  }

  // 上传封面 opens 编辑封面, which hides the main form while open (W:447-458).
  // The chosen image shows in the cropper as a blob: image; then the crop
  // is processed on the server (picupload), and 完成 does nothing until it
  // is done (aria-disabled) — the tool clicks it every 4 s until the layer
  // hides (§3.9 step 7, W:472-520).
  function cover(state) {
    const layer = $('#cover-layer');
    const main = $('#main-layer');
    const input = $('input[type="file"]', layer);
    const done = $('#cover-done');
    let pid = '';
    const close = () => { layer.style.display = 'none'; main.style.display = ''; };
    $('#cover-link').addEventListener('click', () => {
      layer.style.display = '';
      main.style.display = 'none';
    });
    input.addEventListener('change', () => {
      const f = input.files[0];
      if (!f) return;
      pid = '';
      done.setAttribute('aria-disabled', 'true');
      $('#crop-img').src = URL.createObjectURL(f);
      $('#crop-tip').hidden = false;
      kit.sendFile('/ajax/multimedia/picupload', f).then(async (j) => {
        await kit.sleep(300);
        $('#crop-tip').hidden = true;
        if (j.ok !== 1) { message(j.msg || '封面上传失败'); return; }
        pid = j.data.pid;
        done.setAttribute('aria-disabled', 'false');
      });
    });
    done.addEventListener('click', () => {
      if (!pid) return;
      state.coverPid = pid;
      const img = $('#cover-img');
      img.src = $('#crop-img').src;
      img.hidden = false;
      close();
    });
    $('#cover-cancel').addEventListener('click', close);
  }

  // 合集: the switch shows the collections, one row each with a checkbox
  // and the read-only name(共N集); a click on a row's checkbox picks it
  // (§3.9 step 8, W:695-745).
  function collection(state) {
    const sw = $('#coll-switch');
    const panel = $('#coll-panel');
    sw.addEventListener('click', (e) => {
      e.preventDefault();
      const on = !$('input', sw).checked;
      $('input', sw).checked = on;
      sw.classList.toggle('woo-switch-checked', on);
      panel.hidden = !on;
      if (!on) state.collection = '';
    });
    panel.querySelectorAll('._top2_19x8d_150').forEach((row) => {
      const box = $('label.woo-checkbox-main', row);
      box.addEventListener('click', (e) => {
        e.preventDefault();
        panel.querySelectorAll('label.woo-checkbox-main').forEach((l) => {
          l.classList.toggle('woo-checkbox-checked', l === box);
          $('input', l).checked = l === box;
        });
        state.collection = $('input[type="text"]', row).value.replace(/\(共\d+集\)\s*$/, '').trim();
      });
    });
  }

  switch (document.body.dataset.page) {
    case 'home': homePage(); break;
    case 'login': loginPage(); break;
    case 'publish': publishPage(); break;
  }
})();
