// Fake 视频号助手 pages: just enough behaviour for the driver's flows.
(function () {
  'use strict';
  const kit = window.fakesite;
  const { $, api } = kit;
  const API = '/cgi-bin/mmfinderassistant-bin';
  // ERR_VERIFY is the API's answer to a publish that waits for the
  // real-name check (channelstest.errVerify).
  const ERR_VERIFY = 300330;
  kit.toLogin = () => { window.top.location.href = '/login.html'; };

  // Messages: .weui-desktop-toast (the reference's class) with a warn or
  // success type (assumed).
  const toaster = (type) => kit.toaster({
    className: 'weui-desktop-toast weui-desktop-toast_' + type,
    html: '<div class="weui-desktop-toast__content"></div>',
    text: '.weui-desktop-toast__content',
  });
  const toast = toaster('warn');
  const success = toaster('success');

  // ---- login page and WeChat's qrconnect frame -----------------------------
  // The page goes to the redirect_uri with the code the frame passes it
  // once the phone confirmed.
  function login() {
    api('GET', API + '/auth/auth_login_frame').then((j) => {
      const f = document.createElement('iframe');
      f.className = 'login-frame';
      f.title = 'login';
      f.src = j.data.url;
      const from = new URL(j.data.url).origin;
      const back = new URL(j.data.url).searchParams.get('redirect_uri');
      window.addEventListener('message', (e) => {
        if (e.origin !== from || !e.data || !e.data.code) return;
        location.href = back + (back.includes('?') ? '&' : '?') + 'code=' + encodeURIComponent(e.data.code);
      });
      $('#login-frame-wrap').appendChild(f);
    });
  }

  // The frame's code comes from its own origin, as a relative URL; once the
  // phone confirms, the frame passes the code to the page.
  function qrconnect() {
    const img = $('img.qrcode');
    const mask = $('#qr-mask');
    const tip = $('#qr-tip');
    const states = { 0: 'new', 1: 'confirmed', 4: 'expired', 5: 'scanned' };
    const qr = kit.qrLogin({
      async create(current) {
        const j = await api('POST', API + '/auth/auth_login_code');
        if (current()) img.src = '/connect/qrcode/' + encodeURIComponent(j.data.token);
        return j.data.token;
      },
      async check(token) {
        const j = await api('GET', API + '/auth/auth_login_status?token=' + encodeURIComponent(token));
        return { status: states[j.data.status] };
      },
      show(state) {
        mask.classList.toggle('show', state === 'expired');
        tip.hidden = state !== 'scanned';
      },
      confirmed() { window.parent.postMessage({ code: qr.token() }, '*'); },
    });
    $('.refresh-wrap').addEventListener('click', qr.refresh);
    qr.refresh();
  }

  // ---- home and the publish page shell ------------------------------------
  function home() {
    $('#post-video').addEventListener('click', () => {
      sessionStorage.setItem('postEntry', '1');
      location.href = '/platform/post/create';
    });
  }

  function create() {
    // Like the real single-page app, the form opens only from the home
    // page's button; a direct load bounces back there.
    if (!sessionStorage.getItem('postEntry')) {
      location.replace('/platform');
      return;
    }
    sessionStorage.removeItem('postEntry');
    const f = document.createElement('iframe');
    f.className = 'micro-frame';
    f.src = '/micro/content/post/create';
    $('#main').appendChild(f);
  }

  // ---- publish form (inside the iframe) -----------------------------------
  function form() {
    const state = { mediaId: null, done: false, label: '', collection: '', coverId: '', landscapeId: '', date: null, hour: null, verifyCode: '' };
    const uploadBox = $('#upload-content');
    const fileInput = $('input.upload-input', uploadBox);
    const status = $('#media-status');
    const postBtn = $('#post-btn');

    function setDone(done) {
      state.done = done;
      postBtn.classList.toggle('weui-desktop-btn_disabled', !done);
    }
    function renderProgress(pct) {
      status.hidden = false;
      status.innerHTML = '<div class="media-progress">上传中 ' + pct + '%</div>';
    }
    function renderFailed() {
      status.hidden = false;
      status.innerHTML = '<div class="status-msg error">上传失败，请删除后重新上传</div><div class="tag-inner">删除</div>';
    }
    function renderDone(name) {
      status.hidden = false;
      status.innerHTML = '<div class="status-msg success">上传完成</div><div class="media-name"></div><div class="tag-inner">删除</div>';
      $('.media-name', status).textContent = name;
    }
    let name = '';
    const upload = kit.uploader({
      url: API + '/upload/upload_video',
      status: API + '/upload/upload_status',
      key: 'media_id',
      ok: (j) => j.errCode === 0,
      uploaded: (id) => { state.mediaId = id; },
      progress: renderProgress,
      failed: renderFailed,
      done: () => { setDone(true); renderDone(name); },
    });
    function startUpload(file) {
      name = file.name;
      state.mediaId = null;
      setDone(false);
      uploadBox.hidden = true;
      upload.start(file);
    }
    fileInput.addEventListener('change', (e) => {
      if (e.target.files[0]) startUpload(e.target.files[0]);
    });

    // 删除 (a failed or finished video) asks first, then shows the input again.
    const del = $('#delete-dialog');
    status.addEventListener('click', (e) => {
      if (e.target.closest('.tag-inner')) del.hidden = false;
    });
    $('[data-action="cancel"]', del).addEventListener('click', () => { del.hidden = true; });
    $('[data-action="delete"]', del).addEventListener('click', () => {
      del.hidden = true;
      upload.stop();
      state.mediaId = null;
      setDone(false);
      status.hidden = true;
      status.innerHTML = '';
      fileInput.value = '';
      uploadBox.hidden = false;
    });

    // 添加到合集: the dropdown opens from the div after the label.
    const album = $('#album');
    const albumList = $('.option-list-wrap', album);
    album.addEventListener('click', (e) => {
      if (!e.target.closest('.option-list-wrap')) { albumList.hidden = !albumList.hidden; return; }
      const opt = e.target.closest('.option-item');
      if (!opt) return;
      state.collection = $('.name', opt).textContent.trim();
      $('.display-text', album).textContent = state.collection;
      albumList.hidden = true;
    });

    // 视频标注 dropdown.
    const list = $('#label-list');
    $('#label-select').addEventListener('click', () => { list.hidden = !list.hidden; });
    list.addEventListener('click', (e) => {
      const opt = e.target.closest('.weui-desktop-dropdown__list-ele');
      if (!opt) return;
      state.label = opt.textContent.trim();
      $('#label-select .label-text').textContent = state.label;
      list.hidden = true;
    });

    // Covers: each entry opens its dialog; the image is uploaded, then
    // confirmed.
    function coverDialog(entry, dialog, key) {
      const ok = $('[data-action="confirm"]', dialog);
      let pending = '';
      entry.addEventListener('click', () => {
        pending = '';
        ok.classList.add('weui-desktop-btn_disabled');
        dialog.hidden = false;
      });
      $('.single-cover-uploader-wrap input', dialog).addEventListener('change', (e) => {
        const f = e.target.files[0];
        if (!f) return;
        kit.sendFile(API + '/upload/upload_cover', f).then((j) => {
          if (j.errCode !== 0) { toast(j.errMsg || '封面上传失败'); return; }
          pending = j.data.cover_id;
          const img = $('.cover-preview img', dialog);
          img.src = URL.createObjectURL(f);
          img.hidden = false;
          ok.classList.remove('weui-desktop-btn_disabled');
        });
      });
      $('[data-action="cancel"]', dialog).addEventListener('click', () => { dialog.hidden = true; });
      ok.addEventListener('click', () => {
        if (ok.classList.contains('weui-desktop-btn_disabled')) return;
        state[key] = pending;
        const img = $('img', entry);
        img.src = $('.cover-preview img', dialog).src;
        img.hidden = false;
        dialog.hidden = true;
      });
    }
    coverDialog($('#hcover'), $('#hcover-dialog'), 'landscapeId');
    coverDialog($('#vcover'), $('#cover-dialog'), 'coverId');

    // 实名验证: the dialog stays until the phone finished (the site's look
    // at the check says so, with the ticket the publish carries) or the
    // person's code is confirmed.
    const realName = $('#realname-dialog');
    let realNamePoll = 0;
    function hideRealName(code) {
      state.verifyCode = code;
      realName.hidden = true;
      clearInterval(realNamePoll);
    }
    async function lookRealName() {
      let j;
      try { j = await api('GET', API + '/auth/auth_realname_status'); } catch (e) { return null; }
      const img = $('.realname-qrcode', realName);
      if (j.data.qrcode && !img.src) { img.src = j.data.qrcode; img.hidden = false; }
      if (j.data.done && !realName.hidden) hideRealName(j.data.ticket);
      return j.data;
    }
    function showRealName(text) {
      $('.realname-tip', realName).textContent = text;
      $('.realname-code input', realName).value = '';
      realName.hidden = false;
      clearInterval(realNamePoll);
      realNamePoll = setInterval(lookRealName, 500);
      lookRealName();
    }
    $('[data-action="confirm"]', realName).addEventListener('click', async () => {
      const code = $('.realname-code input', realName).value.trim();
      if (code) { hideRealName(code); return; }
      const st = await lookRealName();
      if (st && !st.done && !realName.hidden) toast('请先在手机微信完成实名验证');
    });
    lookRealName().then((st) => {
      if (st && st.required && !st.done) showRealName('为保障账号安全，请在手机微信完成实名验证');
    });

    // 定时: month/day picker and an hour.
    const pickerWrap = $('#picker-wrap');
    const picker = $('#picker');
    const atInput = $('input[placeholder="请选择发表时间"]');
    const hourInput = $('input[placeholder="请选择时间"]');
    const pad = (n) => String(n).padStart(2, '0');
    const today = new Date();
    today.setHours(0, 0, 0, 0);
    let view = new Date(today.getFullYear(), today.getMonth(), 1);
    function renderMonth() {
      $('#pk-year').textContent = view.getFullYear() + '年';
      $('#pk-month').textContent = (view.getMonth() + 1) + '月';
      const body = $('#pk-days');
      body.innerHTML = '';
      let row = document.createElement('tr');
      for (let i = 0; i < view.getDay(); i++) row.appendChild(document.createElement('td'));
      const days = new Date(view.getFullYear(), view.getMonth() + 1, 0).getDate();
      for (let d = 1; d <= days; d++) {
        const date = new Date(view.getFullYear(), view.getMonth(), d);
        const td = document.createElement('td');
        const a = document.createElement('a');
        a.textContent = String(d);
        if (date < today) a.className = 'weui-desktop-picker__disabled';
        a.addEventListener('click', () => {
          if (a.classList.contains('weui-desktop-picker__disabled')) return;
          state.date = date;
          sync();
        });
        td.appendChild(a);
        row.appendChild(td);
        if (row.children.length === 7) { body.appendChild(row); row = document.createElement('tr'); }
      }
      if (row.children.length) body.appendChild(row);
    }
    function sync() {
      if (!state.date) return;
      const d = state.date;
      atInput.value = d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + pad(state.hour || 0) + ':00';
    }
    document.querySelectorAll('input[name="postTimeType"]').forEach((r) => r.addEventListener('change', () => {
      pickerWrap.hidden = $('input[name="postTimeType"]:checked').value !== '1';
    }));
    atInput.addEventListener('click', () => { renderMonth(); picker.hidden = false; });
    $('.weui-desktop-btn__icon__left').addEventListener('click', () => {
      view = new Date(view.getFullYear(), view.getMonth() - 1, 1);
      renderMonth();
    });
    $('.weui-desktop-btn__icon__right').addEventListener('click', () => {
      view = new Date(view.getFullYear(), view.getMonth() + 1, 1);
      renderMonth();
    });
    hourInput.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      const m = /^(\d{1,2})(?::\d{2})?$/.exec(hourInput.value.trim());
      if (!m || Number(m[1]) > 23) { toast('请选择正确的时间'); return; }
      state.hour = Number(m[1]);
      hourInput.value = pad(state.hour) + ':00';
      sync();
    });
    document.addEventListener('click', (e) => {
      if (!picker.hidden && !e.target.closest('#picker-wrap')) picker.hidden = true;
    });

    // Where an accepted publish goes (the site's answer says, see
    // channelstest.Landing); a draft goes to the post list (T:908-909).
    function land(next, draft) {
      if (draft || next === 'list') { window.top.location.href = '/platform/post/list'; return; }
      if (next === 'stay') {
        $('.post-create-wrap').remove();
        $('#post-done').hidden = false;
        return;
      }
      window.top.location.href = '/platform';
    }

    async function submit(draft) {
      if (!state.done) { toast('视频还在上传中，请稍后'); return; }
      const timed = !draft && $('input[name="postTimeType"]:checked').value === '1';
      let schedule = 0;
      if (timed) {
        if (!state.date || state.hour === null) { toast('请选择发表时间'); return; }
        const d = state.date;
        schedule = Math.floor(new Date(d.getFullYear(), d.getMonth(), d.getDate(), state.hour).getTime() / 1000);
      }
      const short = $('#short-title');
      const body = {
        media_id: state.mediaId,
        description: $('.input-editor').innerText,
        short_title: short ? short.value : '',
        label: state.label,
        collection: state.collection,
        cover_id: state.coverId,
        cover_landscape_id: state.landscapeId,
        schedule,
        draft,
      };
      if (state.verifyCode) body.verify_code = state.verifyCode;
      const j = await kit.send('POST', API + '/post/post_create', body);
      if (!j) return;
      if (j.errCode === 0) kit.published(success, () => land(j.data.next, draft), draft ? '保存成功' : '发表成功');
      else if (j.errCode === ERR_VERIFY) showRealName(j.errMsg);
      else toast(j.errMsg);
    }
    postBtn.addEventListener('click', () => {
      if (!postBtn.classList.contains('weui-desktop-btn_disabled')) submit(false);
    });
    $('#draft-btn').addEventListener('click', () => submit(true));
  }

  switch (document.body.dataset.page) {
    case 'login': login(); break;
    case 'qrconnect': qrconnect(); break;
    case 'home': home(); break;
    case 'create': create(); break;
    case 'form': form(); break;
  }
})();
