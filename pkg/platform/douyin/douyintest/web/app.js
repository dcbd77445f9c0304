// Fake Douyin creator pages: just enough behaviour for the driver's flows.
(function () {
  'use strict';
  const kit = window.fakesite;
  const { $, api } = kit;
  const toast = kit.toaster({
    wrap: '#toasts', className: 'semi-toast semi-toast-error',
    html: '<div class="semi-toast-content"><span class="semi-toast-content-text"></span></div>', text: '.semi-toast-content-text',
  });

  // ---- login page -------------------------------------------------------
  function loginPage() {
    const img = $('#animate_qrcode_container img');
    const scanned = $('#qr-scanned');
    const expired = $('#qr-expired');
    const qr = kit.qrLogin({
      create: kit.newQR('/passport/web/get_qrcode/', img, 'qrcode', 'token'),
      check: kit.pollQR('/passport/web/check_qrconnect/?token='),
      show: kit.showQR(scanned, expired),
      confirmed(j) { location.href = j.redirect_url; },
    });
    $('.refresh-wrap-Gt2s9').addEventListener('click', qr.refresh);
    qr.refresh();
  }

  // ---- upload page and publish form (one page, like the real SPA) -------
  function publishPage() {
    const state = { file: null, videoId: null, done: false, declaration: '', coverId: '', product: null };
    state.upload = kit.uploader({
      url: '/web/api/media/upload/',
      status: '/web/api/media/upload/status/',
      key: 'video_id',
      ok: (j) => j.status_code === 0,
      uploaded: (id) => { state.videoId = id; },
      progress: uploadStatus.progress,
      failed: () => uploadStatus.failed((f) => startUpload(state, f)),
      done: () => { state.done = true; uploadStatus.done(state.file.name); },
    });
    if (location.pathname !== '/creator-micro/content/upload') {
      // A reload of the form has lost the file: back to the upload step.
      history.replaceState(null, '', '/creator-micro/content/upload');
    }
    $('#upload-view input.upload-btn-input').addEventListener('change', (e) => {
      const f = e.target.files[0];
      if (!f) return;
      history.pushState(null, '', '/creator-micro/content/post/video?enter_from=publish_page');
      $('#upload-view').remove();
      $('#main').appendChild($('#post-tpl').content.cloneNode(true));
      initForm(state);
      startUpload(state, f);
    });
  }

  // The upload's state under the form: progress, 上传失败 with a new file
  // input, or the file's card.
  const uploadStatus = kit.statusBox({
    progress: '<div class="progress-div"><div class="progress-text-q7"></div><div class="semi-progress"><div class="semi-progress-track-inner"></div></div></div>',
    text: '.progress-text-q7',
    bar: '.semi-progress-track-inner',
    failed: '<div class="progress-div"><div class="fail-text-r2">上传失败</div>' +
      '<div class="reupload-s3"><input class="upload-btn-input-t8Kd2" type="file" accept="video/*"><span>重新上传</span></div></div>',
    done: '<div class="long-card-u9Ha1"><div class="long-card-inner-u9"><div class="file-name-w1"></div>' +
      '<div class="reupload-v2Lm">重新上传</div></div></div>',
    name: '.file-name-w1',
  });

  function startUpload(state, file) {
    state.file = file;
    state.videoId = null;
    state.done = false;
    state.upload.start(file);
  }

  function initForm(state) {
    // Tags: 购物车 opens the product-link inputs.
    const options = $('#tag-options');
    $('#tag-select').addEventListener('click', () => { options.hidden = !options.hidden; });
    options.addEventListener('click', (e) => {
      const opt = e.target.closest('[role="option"]');
      if (!opt) return;
      options.hidden = true;
      if (opt.textContent.trim() === '购物车') $('#product-link').hidden = false;
    });
    const addLink = $('.add-link-c1Rt5');
    const linkInput = $('input[placeholder="粘贴商品链接"]');
    const syncAdd = () => { addLink.className = 'add-link-c1Rt5' + (linkInput.value.trim() ? '' : ' add-link-disable'); };
    linkInput.addEventListener('input', syncAdd);
    syncAdd();
    addLink.addEventListener('click', async () => {
      if (!linkInput.value.trim()) return;
      const j = await api('POST', '/web/api/product/search/', { link: linkInput.value.trim() });
      if (j.status_code !== 0) { toast(j.status_msg); return; }
      $('#product-name').textContent = j.data.name;
      $('#product-portal').hidden = false;
    });
    $('#product-cancel').addEventListener('click', () => { $('#product-portal').hidden = true; });
    $('#product-ok').addEventListener('click', () => {
      const title = $('input[placeholder="请输入商品短标题"]').value.trim();
      if (!title) { toast('请输入商品短标题'); return; }
      state.product = { link: linkInput.value.trim(), title };
      const card = $('#product-card');
      card.textContent = '购物车：' + title;
      card.hidden = false;
      $('#product-portal').hidden = true;
    });

    // Self-declaration dialog.
    const declPortal = $('#decl-portal');
    $('#decl-entry').addEventListener('click', () => { declPortal.hidden = false; });
    $('#decl-cancel').addEventListener('click', () => { declPortal.hidden = true; });
    $('#decl-ok').addEventListener('click', () => {
      const checked = $('input[name="declaration"]:checked', declPortal);
      if (!checked) { toast('请选择声明类型'); return; }
      state.declaration = checked.value;
      $('.declaration-text-Gg2').textContent = checked.value;
      declPortal.hidden = true;
    });

    // Cover dialog: created on open, removed on 完成 or 取消.
    $('#cover-area').addEventListener('click', () => openCover(state));

    // Schedule.
    const picker = $('#date-picker');
    document.querySelectorAll('input[name="timing"]').forEach((r) => r.addEventListener('change', () => {
      picker.hidden = $('input[name="timing"]:checked').value !== 'schedule';
    }));
    const dateInput = $('input[placeholder="日期和时间"]');
    dateInput.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(dateInput.value.trim())) toast('请输入正确的时间');
      else dateInput.blur();
    });

    $('#publish-btn').addEventListener('click', () => submit(state));
  }

  function openCover(state) {
    if ($('.dy-creator-content-modal')) return;
    document.body.appendChild($('#cover-tpl').content.cloneNode(true));
    const portal = $('.cover-portal');
    const done = $('button[data-action="done"]', portal);
    let coverId = '';
    portal.querySelectorAll('.semi-tabs-tab').forEach((tab) => tab.addEventListener('click', () => {
      portal.querySelectorAll('.semi-tabs-tab').forEach((t) => t.classList.toggle('semi-tabs-tab-active', t === tab));
    }));
    $('.main-upload-o2Jk3 input', portal).addEventListener('change', (e) => {
      const f = e.target.files[0];
      if (!f) return;
      kit.sendFile('/web/api/media/cover/upload/', f).then((j) => {
        if (j.status_code !== 0) { toast(j.status_msg || '封面上传失败'); return; }
        coverId = j.data.cover_id;
        const img = $('.preview-p3Hs4 img', portal);
        img.src = URL.createObjectURL(f);
        img.hidden = false;
        done.classList.remove('semi-button-disabled');
        done.removeAttribute('aria-disabled');
      });
    });
    $('.semi-button-tertiary', portal).addEventListener('click', () => portal.remove());
    done.addEventListener('click', () => {
      if (done.classList.contains('semi-button-disabled')) return;
      state.coverId = coverId;
      const img = $('#cover-img');
      img.src = $('.preview-p3Hs4 img', portal).src;
      img.hidden = false;
      $('.cover-placeholder-h5Yu8 span').textContent = '编辑封面';
      portal.remove();
    });
  }

  async function submit(state) {
    if (!state.done) { toast('视频还在上传中，请稍后发布'); return; }
    const timing = $('input[name="timing"]:checked').value;
    const body = {
      video_id: state.videoId,
      title: $('input[placeholder^="填写作品标题"]').value,
      text: $('.zone-container').innerText,
      declaration: state.declaration,
      cover_id: state.coverId,
      timing,
      schedule: timing === 'schedule' ? $('input[placeholder="日期和时间"]').value : '',
      product_link: state.product ? state.product.link : '',
      product_title: state.product ? state.product.title : '',
    };
    const j = await kit.send('POST', '/web/api/media/aweme/create/', body);
    if (!j) return;
    if (j.status_code === 0) location.href = '/creator-micro/content/manage';
    else toast(j.status_msg);
  }

  switch (document.body.dataset.page) {
    case 'login': loginPage(); break;
    case 'publish': publishPage(); break;
  }
})();
