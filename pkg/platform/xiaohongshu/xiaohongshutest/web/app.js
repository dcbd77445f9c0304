// Fake Xiaohongshu creator pages: just enough behaviour for the driver's
// flows.
(function () {
  'use strict';
  const kit = window.fakesite;
  const { $ } = kit;
  kit.toLogin = () => { location.href = '/login'; };
  const toast = kit.toaster({ wrap: '#toasts', className: 'd-toast' });

  // ---- login --------------------------------------------------------------
  function loginPage() {
    const qr = $('#qr-login');
    const sms = $('#sms-login');
    const img = $('.css-qrcode img', qr);
    const scanned = $('.qrcode-scanned', qr);
    const expired = $('.qrcode-expired', qr);
    const code = kit.qrBehindSMS($('img.css-wemwzq'), qr, sms, {
      create: kit.newQR('/api/cas/customer/web/qr-code', img, 'url', 'qr_id'),
      check: kit.pollQR('/api/cas/customer/web/qr-code?qr_id='),
      show: kit.showQR(scanned, expired),
      confirmed(j) { location.href = j.redirect_url; },
    });
    $('.qrcode-refresh', qr).addEventListener('click', code.refresh);
  }

  // ---- publish page ---------------------------------------------------------
  function publishPage() {
    const state = { file: null, fileId: null, done: false, declaration: '', repostSource: '', coverId: '' };
    state.upload = kit.uploader({
      url: '/api/media/v1/upload/creator/video',
      status: '/api/media/v1/upload/creator/video/status',
      key: 'file_id',
      ok: (j) => j.success,
      uploaded: (id) => { state.fileId = id; },
      progress: renderProgress,
      failed: renderFailed,
      done: () => { state.done = true; renderDone(state.file.name); },
    });
    const input = $('.upload-content input.upload-input');
    input.addEventListener('change', () => {
      const f = input.files[0];
      if (!f) return;
      input.value = '';
      $('#drag-tip').hidden = true;
      if ($('#post-form').hidden) {
        $('#post-form').hidden = false;
        initForm(state);
      }
      startUpload(state, f);
    });
  }

  // preview is the status card that follows the file input.
  function preview() {
    let p = $('.upload-content .preview-new');
    if (!p) {
      p = document.createElement('div');
      p.className = 'preview-new';
      $('.upload-content input.upload-input').after(p);
    }
    return p;
  }

  function renderProgress(pct) {
    const p = preview();
    if (!$('.stage .pct', p)) p.innerHTML = '<div class="stage"><span class="pct"></span></div><div class="progress"><div class="bar"></div></div>';
    $('.stage .pct', p).textContent = '上传中 ' + pct + '%';
    $('.bar', p).style.width = pct + '%';
  }

  function renderFailed() {
    preview().innerHTML = '<div class="stage fail"><span>上传失败</span></div><span class="reupload">点击重新上传</span>';
  }

  function renderDone(name) {
    const p = preview();
    p.innerHTML = '<div class="stage"><span>上传成功</span></div><div class="info"><span class="name"></span> 分辨率 1280x720</div><span class="reupload">重新上传</span>';
    $('.name', p).textContent = name;
  }

  function startUpload(state, file) {
    state.file = file;
    state.fileId = null;
    state.done = false;
    state.upload.start(file);
  }

  // The editor: a contenteditable like the real tiptap one. Typing #word
  // opens the topic list; choosing an item turns the typed #word into a
  // topic node.
  function initEditor() {
    const editor = $('.tiptap');
    const list = $('#creator-editor-topic-container');
    let pending = null; // {node, end, word}
    editor.addEventListener('input', () => {
      const first = $('p', editor);
      const empty = editor.innerText.trim() === '';
      if (first) {
        if (empty) first.setAttribute('data-placeholder', '输入正文描述，真诚有价值的分享予人温暖');
        else first.removeAttribute('data-placeholder');
      }
      const sel = getSelection();
      const node = sel.rangeCount ? sel.getRangeAt(0).endContainer : null;
      const end = sel.rangeCount ? sel.getRangeAt(0).endOffset : 0;
      const m = node && node.nodeType === Node.TEXT_NODE ? /#([^\s#\u00a0]+)$/.exec(node.data.slice(0, end)) : null;
      if (!m) { pending = null; list.hidden = true; return; }
      pending = { node, end, word: m[1] };
      list.innerHTML = '';
      [m[1], m[1] + '日常', m[1] + '分享'].forEach((w, i) => {
        const it = document.createElement('div');
        it.className = 'item';
        it.innerHTML = '<span class="name"></span><span class="num"></span>';
        $('.name', it).textContent = '#' + w;
        $('.num', it).textContent = (9 - i) + '.' + i + '亿浏览';
        it.dataset.word = w;
        list.appendChild(it);
      });
      list.hidden = false;
    });
    list.addEventListener('click', (e) => {
      const it = e.target.closest('.item');
      if (!it || !pending) return;
      const { node, end, word } = pending;
      const start = end - word.length - 1;
      const after = node.splitText(end);
      node.data = node.data.slice(0, start);
      const a = document.createElement('a');
      a.className = 'tiptap-topic';
      a.contentEditable = 'false';
      a.dataset.topic = JSON.stringify({ name: it.dataset.word });
      a.textContent = '#' + it.dataset.word + '[话题]#';
      const space = document.createTextNode('\u00a0');
      after.before(a, space);
      const r = document.createRange();
      r.setStartAfter(space);
      r.collapse(true);
      const sel = getSelection();
      sel.removeAllRanges();
      sel.addRange(r);
      pending = null;
      list.hidden = true;
    });
    return editor;
  }

  function readEditor(editor) {
    const clone = editor.cloneNode(true);
    const topics = Array.from(clone.querySelectorAll('a.tiptap-topic')).map((a) => JSON.parse(a.dataset.topic).name);
    clone.querySelectorAll('a.tiptap-topic').forEach((a) => a.remove());
    return { desc: clone.textContent.replace(/\u00a0/g, ' ').trim(), topics };
  }

  function initForm(state) {
    const title = $('.titleInput input');
    title.addEventListener('input', () => { $('.title-count').textContent = [...title.value].length + '/20'; });
    const editor = initEditor();

    // Cover dialog.
    const root = $('#cover-root');
    let coverId = '';
    let coverBusy = false;
    $('.upload-cover').addEventListener('click', () => { root.hidden = false; });
    root.querySelectorAll('.d-tab').forEach((tab) => tab.addEventListener('click', () => {
      root.querySelectorAll('.d-tab').forEach((t) => t.classList.toggle('active', t === tab));
      root.querySelectorAll('[data-panel]').forEach((p) => { p.hidden = p.dataset.panel !== tab.dataset.tab; });
    }));
    const coverInput = $('.upload-wrapper input', root);
    coverInput.addEventListener('change', () => {
      const f = coverInput.files[0];
      if (!f) return;
      coverBusy = true;
      kit.sendFile('/api/media/v1/upload/creator/image', f)
        .finally(() => { coverBusy = false; })
        .then((j) => {
          if (!j.success) { toast(j.msg || '封面上传失败'); return; }
          coverId = j.data.file_id;
          const img = $('.cover-preview', root);
          img.src = URL.createObjectURL(f);
          img.hidden = false;
        });
    });
    $('button[data-action="cancel"]', root).addEventListener('click', () => { root.hidden = true; });
    $('button[data-action="ok"]', root).addEventListener('click', () => {
      if (coverBusy) { toast('封面上传中，请稍候'); return; }
      state.coverId = coverId;
      const img = $('.upload-cover img');
      img.src = $('.cover-preview', root).src;
      img.hidden = !coverId;
      root.hidden = true;
    });

    // Content-type declaration.
    const dropdown = $('.declaration-dropdown');
    const repost = $('#repost-root');
    const choose = (decl, source) => {
      state.declaration = decl;
      state.repostSource = source || '';
      $('.declaration-text').textContent = decl + (source ? '：' + source : '');
    };
    $('.declaration-entry').addEventListener('click', () => { dropdown.hidden = !dropdown.hidden; });
    dropdown.addEventListener('click', (e) => {
      const it = e.target.closest('.d-grid-item');
      if (!it) return;
      dropdown.hidden = true;
      const decl = it.innerText.trim();
      if (decl === '来源转载') { repost.hidden = false; return; }
      choose(decl);
    });
    $('button[data-action="cancel"]', repost).addEventListener('click', () => { repost.hidden = true; });
    $('button[data-action="ok"]', repost).addEventListener('click', () => {
      choose('来源转载', $('input', repost).value.trim());
      repost.hidden = true;
    });

    // Schedule switch.
    const sw = $('.custom-switch-card .d-switch');
    sw.addEventListener('click', () => {
      const on = !sw.classList.contains('checked');
      sw.classList.toggle('checked', on);
      sw.setAttribute('aria-checked', String(on));
      $('#date-picker').hidden = !on;
      $('.publishBtn .d-text').textContent = on ? '定时发布' : '发布';
    });

    $('.submit .publishBtn').addEventListener('click', () => submit(state, editor));
  }

  async function submit(state, editor) {
    if (!state.done) { toast('视频上传中，请稍后再试'); return; }
    const scheduled = $('.custom-switch-card .d-switch').classList.contains('checked');
    const { desc, topics } = readEditor(editor);
    const body = {
      file_id: state.fileId,
      title: $('.titleInput input').value,
      desc,
      topics,
      declaration: state.declaration,
      repost_source: state.repostSource,
      cover_id: state.coverId,
      post_time: scheduled ? $('.d-datepicker-input-filter input').value.trim() : '',
    };
    const j = await kit.send('POST', '/web_api/sns/v2/note', body);
    if (!j) return;
    if (j.success) location.href = '/publish/success?source=&bizType=video&noteId=' + encodeURIComponent(j.data.id);
    else toast(j.msg);
  }

  switch (document.body.dataset.page) {
    case 'login': loginPage(); break;
    case 'publish': publishPage(); break;
  }
})();
