// Fake 视频号助手 pages: just enough behaviour for the driver's flows.
(function () {
  'use strict';
  const kit = window.fakesite;
  const { $, api } = kit;
  const API = '/cgi-bin/mmfinderassistant-bin';
  kit.toLogin = () => { window.top.location.href = '/login.html'; };
  const toast = kit.toaster({ className: 'weui-desktop-toast' });

  // ---- login frame --------------------------------------------------------
  function loginFrame() {
    const img = $('img.qrcode');
    const mask = $('#qr-mask');
    const tip = $('#qr-tip');
    const states = { 0: 'new', 1: 'confirmed', 4: 'expired', 5: 'scanned' };
    const qr = kit.qrLogin({
      async create(current) {
        const j = await api('POST', API + '/auth/auth_login_code');
        if (current()) img.src = API + '/auth/auth_login_qrcode?token=' + encodeURIComponent(j.data.token);
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
      confirmed() { window.top.location.href = '/platform'; },
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
    const state = { mediaId: null, done: false, label: '', coverId: '', date: null, hour: null };
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

    // Cover: the 3:4 personal-page card.
    const cover = $('#cover-dialog');
    const coverOK = $('[data-action="confirm"]', cover);
    let pendingCover = '';
    $('#vcover').addEventListener('click', () => {
      pendingCover = '';
      coverOK.classList.add('weui-desktop-btn_disabled');
      cover.hidden = false;
    });
    $('.single-cover-uploader-wrap input', cover).addEventListener('change', (e) => {
      const f = e.target.files[0];
      if (!f) return;
      kit.sendFile(API + '/upload/upload_cover', f).then((j) => {
        if (j.errCode !== 0) { toast(j.errMsg || '封面上传失败'); return; }
        pendingCover = j.data.cover_id;
        const img = $('.cover-preview img', cover);
        img.src = URL.createObjectURL(f);
        img.hidden = false;
        coverOK.classList.remove('weui-desktop-btn_disabled');
      });
    });
    $('[data-action="cancel"]', cover).addEventListener('click', () => { cover.hidden = true; });
    coverOK.addEventListener('click', () => {
      if (coverOK.classList.contains('weui-desktop-btn_disabled')) return;
      state.coverId = pendingCover;
      const img = $('#vcover img');
      img.src = $('.cover-preview img', cover).src;
      img.hidden = false;
      cover.hidden = true;
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

    async function submit(draft) {
      if (!state.done) { toast('视频还在上传中，请稍后'); return; }
      const timed = !draft && $('input[name="postTimeType"]:checked').value === '1';
      let schedule = 0;
      if (timed) {
        if (!state.date || state.hour === null) { toast('请选择发表时间'); return; }
        const d = state.date;
        schedule = Math.floor(new Date(d.getFullYear(), d.getMonth(), d.getDate(), state.hour).getTime() / 1000);
      }
      const body = {
        media_id: state.mediaId,
        description: $('.input-editor').innerText,
        short_title: $('input[placeholder="填写短标题有机会获得更多流量"]').value,
        label: state.label,
        cover_id: state.coverId,
        schedule,
        draft,
      };
      const j = await kit.send('POST', API + '/post/post_create', body);
      if (!j) return;
      if (j.errCode === 0) window.top.location.href = '/platform/post/list';
      else toast(j.errMsg);
    }
    postBtn.addEventListener('click', () => {
      if (!postBtn.classList.contains('weui-desktop-btn_disabled')) submit(false);
    });
    $('#draft-btn').addEventListener('click', () => submit(true));
  }

  switch (document.body.dataset.page) {
    case 'login-frame': loginFrame(); break;
    case 'home': home(); break;
    case 'create': create(); break;
    case 'form': form(); break;
  }
})();
