// Fake YouTube Studio pages: just enough behaviour for the driver's flows.
// Citations are to platform-flows.md §3.8 (the reference uploader).
(function () {
  'use strict';
  const kit = window.fakesite;
  const { $ } = kit;
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  const API = {
    upload: '/upload/studio',
    status: '/upload/studio/status',
    thumbnail: '/youtubei/v1/video_manager/thumbnail',
    create: '/youtubei/v1/upload/createvideo',
    share: '/youtubei/v1/share/get_share_panel',
  };

  // A 401 sends the browser to Google's sign-in (§3.8 cookie check).
  kit.toLogin = () => {
    location.href = '/v3/signin/identifier?service=youtube&continue=' + encodeURIComponent(location.pathname + location.search);
  };

  // Studio's messages (assumed markup); an error's class says so.
  const toast = (type) => kit.toaster({
    wrap: 'ytcp-toast-manager', className: 'toast',
    html: '<tp-yt-paper-toast class="' + type + '"><span></span></tp-yt-paper-toast>', text: 'span',
  });
  const error = toast('error');
  const success = toast('success');

  // ---- the upload dialog ---------------------------------------------------
  function uploadPage() {
    const picker = $('#picker');
    const input = $('input[type="file"]', picker);
    $('#select-files-button').addEventListener('click', () => input.click());
    input.addEventListener('change', () => {
      const f = input.files[0];
      if (!f) return;
      picker.remove();
      $('#dialog').appendChild($('#details-tpl').content.cloneNode(true));
      details(f);
    });
  }

  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n) => String(n).padStart(2, '0');

  function details(file) {
    const state = {
      videoId: '', uploaded: false, checked: false, step: 0,
      title: '', description: '', audience: '', privacy: '', schedule: 0, thumbnailId: '',
    };
    const dropdown = $('#suggestions');
    const label = $('.progress-label');
    const next = $('#next-button');
    const done = $('#done-button');

    // Text boxes: the site knows what was typed (input events), never a
    // value a script set. The title comes prefilled with the file's name
    // (SAU clears it before typing, §3.8 step 2; that it is the file's name
    // is assumed).
    const box = (id, key) => {
      const el = $('#' + id + ' #textbox');
      el.addEventListener('input', (e) => {
        if (!e.isTrusted) return;
        state[key] = el.innerText.replace(/\u00a0/g, ' ').trim();
        // A typed #word opens the suggestions (§3.8 step 2).
        const s = getSelection();
        const before = s.rangeCount && s.anchorNode && s.anchorNode.nodeType === Node.TEXT_NODE
          ? s.anchorNode.data.slice(0, s.anchorOffset) : '';
        const m = /#([^\s#]+)$/.exec(before);
        if (m) {
          $('.suggestion', dropdown).textContent = '#' + m[1];
          dropdown.hidden = false;
        }
      });
      return el;
    };
    const title = box('title-textarea', 'title');
    box('description-textarea', 'description');
    title.textContent = file.name.replace(/\.[^.]*$/, '');
    state.title = title.textContent;
    $('#dialog-title').textContent = state.title;

    // Escape closes the suggestions (§3.8 step 2).
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !dropdown.hidden) dropdown.hidden = true;
    }, true);
    // While they show they cover Next and Done (§3.8 step 2).
    const covered = () => !dropdown.hidden;

    // The thumbnail: its file input (§3.8 step 4) uploads the image and
    // shows it.
    const thumb = $('#file-loader input[type="file"]');
    $('#select-button').addEventListener('click', () => thumb.click());
    thumb.addEventListener('change', () => {
      const f = thumb.files[0];
      if (!f) return;
      kit.sendFile(API.thumbnail, f).then((j) => {
        if (j.error) { error(j.error.message); return; }
        state.thumbnailId = j.data.thumbnail_id;
        const img = $('img.thumbnail-preview');
        img.src = URL.createObjectURL(f);
        img.hidden = false;
      });
    });

    // Radios (tp-yt-paper-radio-button): a click checks one of its group.
    const radios = (group, pick) => $$('tp-yt-paper-radio-button', group).forEach((r) => r.addEventListener('click', () => {
      $$('tp-yt-paper-radio-button', group).forEach((o) => o.setAttribute('aria-checked', String(o === r)));
      pick(r.getAttribute('name'));
    }));
    radios($('#audience'), (name) => { state.audience = name; $('.audience-error').hidden = true; });
    radios($('#privacy-radios'), (name) => {
      state.privacy = name;
      // A radio replaces the schedule (assumed).
      $('#second-container').hidden = true;
      state.schedule = 0;
      update();
    });

    // Tags: behind Show more (§3.8 step 7); typed text becomes a chip at
    // each comma (or Enter), at most 500 characters in all.
    $('#toggle-button').addEventListener('click', () => {
      const adv = $('#advanced');
      adv.hidden = !adv.hidden;
      $('#toggle-button').textContent = adv.hidden ? 'Show more' : 'Show less';
    });
    const tagInput = $('#tags-container #text-input');
    const tags = () => $$('#tags-container ytcp-chip').map((c) => c.dataset.tag);
    const addTag = (t) => {
      t = t.trim();
      if (!t) return;
      if ([...tags(), t].join(',').length > 500) {
        const err = $('.tags-error');
        err.textContent = 'Tags are limited to 500 characters';
        err.hidden = false;
        return;
      }
      const chip = document.createElement('ytcp-chip');
      chip.dataset.tag = t;
      chip.textContent = t;
      $('#tags-container .chips').appendChild(chip);
    };
    tagInput.addEventListener('input', (e) => {
      if (!e.isTrusted || !tagInput.value.includes(',')) return;
      const parts = tagInput.value.split(',');
      const rest = parts.pop();
      parts.forEach(addTag);
      tagInput.value = rest;
    });
    tagInput.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' || !e.isTrusted) return;
      addTag(tagInput.value);
      tagInput.value = '';
    });

    // Next: one page per click, and none without an audience (§3.8 steps
    // 6, 8).
    const show = (step) => {
      state.step = step;
      $$('section[data-step]').forEach((s) => { s.hidden = Number(s.dataset.step) !== step; });
      $$('ytcp-stepper .step').forEach((b, i) => b.setAttribute('aria-selected', String(i === step)));
      next.hidden = step === 3;
      done.hidden = step !== 3;
      update();
    };
    next.addEventListener('click', () => {
      if (covered()) return;
      if (state.step === 0 && !state.audience) { $('.audience-error').hidden = false; return; }
      if (state.step < 3) show(state.step + 1);
    });

    // Schedule (assumed, see upload.html): the inputs come prefilled with
    // now; Enter in either commits both.
    const date = $('#date-input');
    const time = $('#time-of-day-input');
    const schedErr = $('ytcp-datetime-picker .error');
    $('#second-container-expand-button').addEventListener('click', () => {
      const c = $('#second-container');
      c.hidden = !c.hidden;
      if (c.hidden) { state.schedule = 0; update(); return; }
      $$('#privacy-radios tp-yt-paper-radio-button').forEach((o) => o.setAttribute('aria-checked', 'false'));
      state.privacy = '';
      const now = new Date();
      date.value = MONTHS[now.getMonth()] + ' ' + now.getDate() + ', ' + now.getFullYear();
      time.value = pad(now.getHours()) + ':' + pad(now.getMinutes());
      update();
    });
    const commit = () => {
      const d = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4})$/.exec(date.value.trim());
      const t = /^(\d{1,2}):(\d{2})$/.exec(time.value.trim());
      const m = d ? MONTHS.indexOf(d[1]) : -1;
      let msg = '';
      if (!d || m < 0) msg = 'Invalid date';
      else if (!t || +t[1] > 23 || +t[2] > 59) msg = 'Invalid time';
      const at = msg ? null : new Date(+d[3], m, +d[2], +t[1], +t[2]);
      if (at && at.getTime() <= Date.now()) msg = 'Choose a time in the future';
      schedErr.textContent = msg;
      schedErr.hidden = !msg;
      state.schedule = msg ? 0 : Math.floor(at.getTime() / 1000);
      update();
    };
    for (const el of [date, time]) {
      el.addEventListener('input', (e) => { if (e.isTrusted) { state.schedule = 0; update(); } });
      el.addEventListener('keydown', (e) => { if (e.key === 'Enter' && e.isTrusted) commit(); });
    }

    // Done: enabled once the upload's checks are over and a visibility or
    // a schedule is chosen (§3.8 steps 9-10); it reads Schedule, Save or
    // Publish (assumed).
    function update() {
      const ready = state.uploaded && state.checked && state.step === 3 && (state.privacy || state.schedule);
      if (ready) done.removeAttribute('disabled'); else done.setAttribute('disabled', '');
      done.textContent = state.schedule ? 'Schedule' : state.privacy === 'PRIVATE' ? 'Save' : 'Publish';
    }

    // The upload: its percentage in the progress label, then processing
    // and the checks (§3.8 step 9; the checks take a moment, assumed).
    const uploader = kit.uploader({
      url: API.upload, status: API.status, key: 'video_id',
      ok: (j) => !j.error,
      uploaded: (id) => { state.videoId = id; },
      progress: (pct) => { label.textContent = 'Uploading ' + pct + '% ...'; },
      failed: () => {
        label.textContent = 'Upload failed';
        // A new error for each failure, with a file input that chooses the
        // video again (assumed).
        $('#upload-error').innerHTML = '<div class="error-area"><span>Upload failed: network error.</span> ' +
          '<label class="retry">Retry <input type="file" accept="video/*" hidden></label></div>';
        $('#upload-error input').addEventListener('change', (e) => {
          if (e.target.files[0]) { $('#upload-error').innerHTML = ''; start(e.target.files[0]); }
        });
      },
      done: () => {
        state.uploaded = true;
        label.textContent = 'Upload complete ... Processing will begin shortly';
        setTimeout(() => {
          state.checked = true;
          label.textContent = 'Checks complete. No issues found.';
          $('#checks-summary').textContent = 'No issues found';
          update();
        }, 400);
      },
    });
    const start = (f) => { state.uploaded = false; state.checked = false; update(); uploader.start(f); };
    start(file);

    done.addEventListener('click', async () => {
      if (covered() || done.hasAttribute('disabled')) return;
      const body = {
        video_id: state.videoId, title: state.title, description: state.description, tags: tags(),
        audience: state.audience, privacy: state.schedule ? 'PUBLIC' : state.privacy, schedule: state.schedule,
        thumbnail_id: state.thumbnailId,
      };
      done.setAttribute('disabled', '');
      const j = await kit.send('POST', API.create, body);
      if (!j) return;
      if (j.error) { error(j.error.message); update(); return; }
      kit.published(success, () => shareDialog(j.data.video_id), 'Video published');
    });
  }

  // The dialog after Done: the watch link (§3.8 step 10) and Close.
  async function shareDialog(id) {
    let j;
    try { j = await kit.api('GET', API.share + '?video_id=' + encodeURIComponent(id)); } catch (e) { return; }
    const dlg = $('ytcp-video-share-dialog');
    const a = document.createElement('a');
    a.href = location.origin + '/watch?v=' + encodeURIComponent(j.data.video_id);
    a.textContent = a.href;
    $('.share-url', dlg).appendChild(a);
    $('ytcp-uploads-dialog').hidden = true;
    dlg.hidden = false;
    $('#close-button').addEventListener('click', () => { dlg.hidden = true; });
  }

  function dashboardPage() {
    $('#content-link').href = location.pathname + '/videos';
  }

  switch (document.body.dataset.page) {
    case 'upload': uploadPage(); break;
    case 'dashboard': dashboardPage(); break;
  }
})();
