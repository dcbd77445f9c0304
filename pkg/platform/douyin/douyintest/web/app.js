// Fake Douyin creator pages: just enough behaviour for the driver's flows.
(function () {
  'use strict';
  const kit = window.fakesite;
  const { $, api } = kit;
  // VERIFY is the publish answer's code for "pass the SMS check first"
  // (fakesite.API's default Verify, ByteDance's).
  const VERIFY = 3;
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
    const state = {
      file: null, videoId: null, done: false, declaration: '', coverId: '', coverOrientation: '',
      recommendCover: 0, collection: '', product: null,
    };
    state.upload = kit.uploader({
      url: '/web/api/media/upload/',
      status: '/web/api/media/upload/status/',
      key: 'video_id',
      ok: (j) => j.status_code === 0,
      uploaded: (id) => { state.videoId = id; },
      progress: uploadStatus.progress,
      failed: () => uploadStatus.failed((f) => startUpload(state, f)),
      done: () => { state.done = true; uploadStatus.done(state.file.name); $('#recommend').hidden = false; },
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
    $('#note-tab').addEventListener('click', () => noteUpload(state));
  }

  // noteUpload turns the upload page into the image note's (发布图文): the
  // images chosen together are uploaded in order, and once all are in the
  // page moves to the note's form at /content/post/image? (platform-flows.md
  // §3.1 "Image note": the uploader waits for that URL after choosing).
  function noteUpload(state) {
    if ($('#note-area')) return;
    document.querySelectorAll('.tab-item-Qx2').forEach((t) => t.classList.toggle('tab-active-Qx3', t.id === 'note-tab'));
    $('#video-area').remove();
    $('#upload-view').appendChild($('#note-upload-tpl').content.cloneNode(true));
    $('#note-area input').addEventListener('change', async (e) => {
      const files = Array.from(e.target.files);
      if (!files.length) return;
      if (files.length > 35) { toast('最多支持上传35张图片'); return; } // assumed wording
      const bar = $('#note-progress');
      bar.textContent = '上传中 0/' + files.length;
      const ids = await kit.sendImages('/web/api/media/image/upload/', files,
        (n, total) => { bar.textContent = '上传中 ' + n + '/' + total; },
        (j) => { bar.textContent = '上传失败'; toast((j && j.status_msg) || '上传失败'); });
      if (!ids) return;
      state.imageIds = ids;
      state.done = true;
      history.pushState(null, '', '/creator-micro/content/post/image?enter_from=publish_page&media_type=image');
      $('#upload-view').remove();
      $('#main').appendChild($('#post-tpl').content.cloneNode(true));
      noteForm(files);
      initForm(state);
    });
  }

  // noteForm adapts the publish form to a note: the title input reads
  // 添加作品标题 and takes 20 characters (platform-flows.md §3.1, issue
  // #275; the limits table), the images show in order, and there is no
  // cover to set (the first image is the cover: assumed).
  function noteForm(files) {
    const title = $('.title-input-w2Mc4 input');
    title.placeholder = '添加作品标题';
    title.maxLength = 20;
    $('#cover-area').closest('.form-field-t1Ka3').remove();
    const list = document.createElement('div');
    list.className = 'image-list-Nt4';
    files.forEach((f) => {
      const img = document.createElement('img');
      img.alt = f.name;
      img.src = URL.createObjectURL(f);
      list.appendChild(img);
    });
    $('#upload-status').replaceWith(list);
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

    // Cover: the dialog opens from the entry only (shown on hover); the
    // recommended frames show once the video is processed.
    const coverEntry = $('.cover-entry-Lm3'); // none on a note's form
    if (coverEntry) coverEntry.addEventListener('click', () => openCover(state));
    document.querySelectorAll('.recommendCover-Ab3').forEach((rc) => rc.addEventListener('click', () => {
      confirmBox('是否确认应用此封面？', () => {
        state.recommendCover = Number(rc.dataset.index);
        state.coverId = '';
        state.coverOrientation = '';
        document.querySelectorAll('.recommendCover-Ab3').forEach((o) => o.classList.toggle('recommend-selected-Ab4', o === rc));
        const entry = $('.cover-entry-Lm3');
        if (entry) entry.textContent = '编辑封面';
      });
    }));

    // 合集.
    const collections = $('#collection-portal');
    $('#collection-select .semi-select-selection').addEventListener('click', () => { collections.hidden = !collections.hidden; });
    collections.addEventListener('click', (e) => {
      const opt = e.target.closest('.collection-option');
      if (!opt) return;
      state.collection = $('[class*="option-title-"]', opt).textContent.trim();
      $('#collection-select .semi-select-selection').innerHTML = '<span class="semi-select-selection-text"></span>';
      $('#collection-select .semi-select-selection-text').textContent = state.collection;
      collections.hidden = true;
    });

    // 头条/西瓜 sync switch: off until turned on.
    const sync = $('#sync-switch input');
    sync.addEventListener('change', () => {
      $('#sync-switch').classList.toggle('semi-switch-checked', sync.checked);
      sync.setAttribute('aria-checked', String(sync.checked));
    });

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

    initSMS(state);
    $('#publish-btn').addEventListener('click', () => submit(state));
  }

  // confirmBox shows a Semi confirmation with text; 确定 runs ok.
  function confirmBox(text, ok) {
    document.body.appendChild($('#confirm-tpl').content.cloneNode(true));
    const portals = document.querySelectorAll('.confirm-portal');
    const portal = portals[portals.length - 1];
    $('.confirm-text-Cf1', portal).textContent = text;
    $('[data-action="cancel"]', portal).addEventListener('click', () => portal.remove());
    $('[data-action="ok"]', portal).addEventListener('click', () => { portal.remove(); ok(); });
  }

  function openCover(state) {
    if ($('.dy-creator-content-modal')) return;
    document.body.appendChild($('#cover-tpl').content.cloneNode(true));
    const portal = $('.cover-portal');
    const done = $('button[data-action="done"]', portal);
    const preview = $('.preview-p3Hs4 img', portal);
    const covers = {}; // tab → {id, src}
    let tab = 'portrait';
    const show = () => {
      const c = covers[tab];
      preview.hidden = !c;
      if (c) preview.src = c.src;
    };
    portal.querySelectorAll('.semi-tabs-tab').forEach((t) => t.addEventListener('click', () => {
      tab = t.dataset.tab;
      portal.querySelectorAll('.semi-tabs-tab').forEach((o) => o.classList.toggle('semi-tabs-tab-active', o === t));
      show();
    }));
    $('.main-upload-o2Jk3 input', portal).addEventListener('change', (e) => {
      const f = e.target.files[0];
      if (!f) return;
      const forTab = tab;
      kit.sendFile('/web/api/media/cover/upload/', f).then((j) => {
        if (j.status_code !== 0) { toast(j.status_msg || '封面上传失败'); return; }
        covers[forTab] = { id: j.data.cover_id, src: URL.createObjectURL(f) };
        show();
        done.classList.remove('semi-button-disabled');
        done.removeAttribute('aria-disabled');
      });
    });
    $('.semi-button-tertiary', portal).addEventListener('click', () => portal.remove());
    const apply = () => {
      const use = covers.landscape && !covers.portrait ? 'landscape' : 'portrait';
      state.coverId = covers[use].id;
      state.coverOrientation = use;
      state.recommendCover = 0;
      const img = $('#cover-img');
      img.src = covers[use].src;
      img.hidden = false;
      $('.cover-entry-Lm3').textContent = '编辑封面';
      portal.remove();
    };
    done.addEventListener('click', () => {
      if (done.classList.contains('semi-button-disabled')) return;
      if (covers.portrait && covers.landscape) { apply(); return; }
      confirmBox((covers.portrait ? '横封面' : '竖封面') + '未设置，确定完成吗？', apply);
    });
  }

  // The SMS check: 获取验证码 "sends" the code, 验证 sends the publish
  // again with the code typed.
  function initSMS(state) {
    const send = $('#sms-send');
    let sent = false;
    send.addEventListener('click', () => {
      if (sent) return;
      sent = true;
      send.textContent = '60秒后重新获取';
      send.classList.add('uc-ui-verify_sms-sent');
    });
    $('#sms-verify').addEventListener('click', () => {
      const input = $('#sms-portal input');
      const code = input.value.trim();
      if (!sent) { smsError('请先获取验证码'); return; }
      if (!code) { smsError('请输入验证码'); return; }
      $('#sms-error').innerHTML = '';
      publish(state, { verify_code: code });
    });
  }

  // smsError shows msg under the code input, in a new element each time.
  function smsError(msg) {
    const box = $('#sms-error');
    box.innerHTML = '<div class="uc-ui-verify_sms-error"></div>';
    $('.uc-ui-verify_sms-error', box).textContent = msg;
  }

  const success = kit.toaster({
    wrap: '#toasts', className: 'semi-toast semi-toast-success',
    html: '<div class="semi-toast-content"><span class="semi-toast-content-text"></span></div>', text: '.semi-toast-content-text',
  });

  function submit(state) {
    if (!state.done) { toast('视频还在上传中，请稍后发布'); return; }
    publish(state, {});
  }

  async function publish(state, extra) {
    const timing = $('input[name="timing"]:checked').value;
    const body = {
      video_id: state.videoId,
      image_ids: state.imageIds || [],
      title: $('.title-input-w2Mc4 input').value,
      text: $('.zone-container').innerText,
      declaration: state.declaration,
      cover_id: state.coverId,
      cover_orientation: state.coverOrientation,
      recommend_cover: state.recommendCover,
      collection: state.collection,
      sync_toutiao: !!($('#sync-switch input') || {}).checked,
      timing,
      schedule: timing === 'schedule' ? $('input[placeholder="日期和时间"]').value : '',
      product_link: state.product ? state.product.link : '',
      product_title: state.product ? state.product.title : '',
      ...extra,
    };
    const j = await kit.send('POST', '/web/api/media/aweme/create/', body);
    if (!j) return;
    const sms = $('#sms-portal');
    if (j.status_code === VERIFY) {
      if (!sms.hidden && extra.verify_code) { smsError('验证码错误，请重新输入'); return; }
      $('#sms-tip').textContent = j.status_msg;
      sms.hidden = false;
      return;
    }
    sms.hidden = true;
    // A note lands on manage?enter_from=publish (platform-flows.md §3.1 URLs).
    const landing = state.imageIds ? '/creator-micro/content/manage?enter_from=publish' : '/creator-micro/content/manage';
    if (j.status_code === 0) kit.published(success, () => { location.href = landing; }, '发布成功');
    else toast(j.status_msg);
  }

  switch (document.body.dataset.page) {
    case 'login': loginPage(); break;
    case 'publish': publishPage(); break;
  }
})();
