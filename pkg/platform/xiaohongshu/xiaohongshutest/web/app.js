// Fake Xiaohongshu creator pages: just enough behaviour for the driver's
// flows.
(function () {
  'use strict';
  const kit = window.fakesite;
  const { $ } = kit;
  kit.toLogin = () => { location.href = '/login'; };
  // The site's messages: .d-toast with its type (assumed: the d-* design
  // system's toast carries a success or error type, and an accepted
  // publish shows the success one before the page moves on).
  const toast = kit.toaster({ wrap: '#toasts', className: 'd-toast d-toast-error' });
  const success = kit.toaster({ wrap: '#toasts', className: 'd-toast d-toast-success' });

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
    const state = { file: null, fileId: null, done: false, editor: null, declaration: '', repostSource: '', coverId: '' };
    state.upload = kit.uploader({
      url: '/api/media/v1/upload/creator/video',
      status: '/api/media/v1/upload/creator/video/status',
      key: 'file_id',
      ok: (j) => j.success,
      uploaded: (id) => { state.fileId = id; },
      progress: renderProgress,
      failed: renderFailed,
      done: () => finished(state),
    });
    const input = $('.upload-content input.upload-input');
    if (new URLSearchParams(location.search).get('target') === 'image') { notePage(state, input); return; }
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

  // notePage is the publish page of an image note (target=image,
  // platform-flows.md §3.4 "Image note"): its input takes the images
  // (input[type="file"][accept*="image"]), which upload in order; the
  // title and editor show once all are in, which is what the reference
  // uploader waits for (X:780-797). The tab, the tip and that the cover
  // section is gone (a note's cover is its first image) are assumed.
  function notePage(state, input) {
    document.querySelectorAll('.header-tabs .creator-tab').forEach((t) => t.classList.toggle('active', t.textContent === '上传图文'));
    input.accept = 'image/png,image/jpeg,image/webp';
    input.multiple = true;
    $('#drag-tip p').textContent = '拖拽图片到此或点击上传';
    $('#drag-tip button').textContent = '上传图片';
    input.addEventListener('change', async () => {
      const files = Array.from(input.files);
      if (!files.length) return;
      if (files.length > 18) { toast('最多上传18张图片'); return; }
      input.value = '';
      $('#drag-tip').hidden = true;
      $('#post-form').hidden = false;
      $('.cover-section').remove();
      initForm(state);
      renderProgress(0);
      const ids = await kit.sendImages('/api/media/v1/upload/creator/note-image', files,
        (n, total) => renderProgress(Math.floor(100 * n / total)), renderFailed);
      if (!ids) return;
      state.imageIds = ids;
      state.done = true;
      preview().innerHTML = '<div class="stage"><span>上传成功</span></div><div class="info"><span class="name"></span></div>';
      $('.name', preview()).textContent = files.length + '张图片';
      mountText(state);
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

  // doneCards are the status card of a finished upload, one per sign the
  // reference uploader takes for it (SAU X:641; which one the real card
  // shows is assumed); the file's name goes in .name. The sign "title"
  // removes the card: only the title input, which shows now, says the
  // upload finished (SAU X:660-665).
  const doneCards = {
    '上传成功': '<div class="stage"><span>上传成功</span></div><div class="info"><span class="name"></span></div>',
    '分辨率': '<div class="info"><span class="name"></span> 分辨率 1280x720</div>',
    '重新上传': '<div class="info"><span class="name"></span></div><span class="reupload">重新上传</span>',
    '编辑封面': '<div class="info"><span class="name"></span></div><span class="edit-cover">编辑封面</span>',
    '已上传': '<div class="stage"><span>已上传</span></div><div class="info"><span class="name"></span></div>',
    '已选择': '<div class="info">已选择 <span class="name"></span></div>',
    '100%': '<div class="stage"><span class="pct">100%</span></div><div class="info"><span class="name"></span></div>',
  };

  // finished shows the finished upload with the sign the site's knob
  // names, then the note's title and editor (once), which only now take
  // the note's text (SAU X:671-672 fills them only after the upload).
  async function finished(state) {
    let sig = '上传成功';
    try { sig = (await kit.api('GET', '/__fake__/xhs/upload-done')).signal; } catch (e) { /* keep the default */ }
    state.done = true;
    const card = doneCards[sig];
    if (card) {
      const p = preview();
      p.innerHTML = card;
      $('.name', p).textContent = state.file.name;
    } else {
      const p = $('.upload-content .preview-new');
      if (p) p.remove();
    }
    if (!state.editor) mountText(state);
  }

  function startUpload(state, file) {
    state.file = file;
    state.fileId = null;
    state.done = false;
    state.upload.start(file);
  }

  // mountText puts the title input and the editor into the form.
  function mountText(state) {
    const box = $('#post-form .note-text');
    box.appendChild($('#note-text').content.cloneNode(true));
    const title = $('.titleInput input', box);
    title.addEventListener('input', () => { $('.title-count', box).textContent = [...title.value].length + '/20'; });
    state.editor = initEditor($('.tiptap', box), $('#creator-editor-topic-container', box));
  }

  // The editor: a contenteditable like the real tiptap one. A '#' typed
  // with its key opens a topic: the words typed after it are looked up
  // (the site's association API: a short delay) and the topic list shows
  // what it found; choosing an item turns the typed #word into a topic
  // node. The key matters (assumed: both working tools type '#' as a key
  // and wait for the list, SAU X:447-451, xiaohongshu-mcp publish.go
  // inputTag "输入 # 触发话题联想"); a '#' pasted or inserted with the
  // word opens nothing. A word containing NoSuggestion finds nothing, and
  // no list opens (SAU X:444-445: no match, no list). The list keeps the
  // focus in the editor (assumed: SAU types the next #tag right after the
  // click, X:443-454).
  function initEditor(editor, list) {
    let armed = false; // a '#' key went down; the '#' it types opens a topic
    let open = false; // the '#' before the caret opened a topic
    let pending = null; // {node, end, word}
    let gen = 0;
    editor.addEventListener('keydown', (e) => { if (e.isTrusted && e.key === '#') armed = true; });
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
      const before = node && node.nodeType === Node.TEXT_NODE ? node.data.slice(0, end) : '';
      const m = /#([^\s#\u00a0]+)$/.exec(before);
      if (/#$/.test(before)) open = armed;
      else if (!m) open = false;
      armed = false;
      const my = ++gen;
      pending = null;
      list.hidden = true;
      if (!open || !m) return;
      const word = m[1];
      pending = { node, end, word };
      setTimeout(() => {
        if (my !== gen || word.includes('无候选')) return;
        list.innerHTML = '';
        [word, word + '日常', word + '分享'].forEach((w, i) => {
          const it = document.createElement('div');
          it.className = 'item';
          it.innerHTML = '<span class="name"></span><span class="num"></span>';
          $('.name', it).textContent = '#' + w;
          $('.num', it).textContent = (9 - i) + '.' + i + '亿浏览';
          it.dataset.word = w;
          list.appendChild(it);
        });
        list.hidden = false;
      }, 200);
    });
    list.addEventListener('mousedown', (e) => e.preventDefault());
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
      open = false;
      gen++;
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

  // initForm wires the form's controls; an optional one may be missing
  // (BreakOption removes it).
  function initForm(state) {
    // Cover dialog.
    const root = $('#cover-root');
    let coverId = '';
    let coverBusy = false;
    $('.upload-cover')?.addEventListener('click', () => { root.hidden = false; });
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
      if (img) {
        img.src = $('.cover-preview', root).src;
        img.hidden = !coverId;
      }
      root.hidden = true;
    });

    // Content-type declaration.
    const dropdown = $('.declaration-dropdown');
    const repost = $('#repost-root');
    const choose = (decl, source) => {
      state.declaration = decl;
      state.repostSource = source || '';
      const text = $('.declaration-text');
      if (text) text.textContent = decl + (source ? '：' + source : '');
    };
    $('.declaration-entry')?.addEventListener('click', () => { dropdown.hidden = !dropdown.hidden; });
    // Escape closes the list and the media-name dialog (assumed: SAU
    // presses it after a failed declaration, X:517-521).
    document.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape') return;
      dropdown.hidden = true;
      repost.hidden = true;
    });
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
    sw?.addEventListener('click', () => {
      const on = !sw.classList.contains('checked');
      sw.classList.toggle('checked', on);
      sw.setAttribute('aria-checked', String(on));
      $('#date-picker').hidden = !on;
      $('.submit .bg-red .d-text').textContent = on ? '定时发布' : '发布';
    });

    $('.submit .bg-red').addEventListener('click', () => submit(state));
  }

  async function submit(state) {
    if (!state.done || !state.editor) { toast('视频上传中，请稍后再试'); return; }
    const sw = $('.custom-switch-card .d-switch');
    const scheduled = !!sw && sw.classList.contains('checked');
    const { desc, topics } = readEditor(state.editor);
    const body = {
      file_id: state.fileId,
      image_ids: state.imageIds || [],
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
    if (!j.success) { toast(j.msg); return; }
    const go = () => { location.href = '/publish/success?source=&bizType=video&noteId=' + encodeURIComponent(j.data.id); };
    kit.published(success, go, '发布成功');
  }

  switch (document.body.dataset.page) {
    case 'login': loginPage(); break;
    case 'publish': publishPage(); break;
  }
})();
