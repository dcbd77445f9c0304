// Fanout console. Plain JavaScript, no build step, no third-party code.
// Data never goes through innerHTML: every text is set with textContent
// (el() below), every URL is one of ours or a data:/blob: URL we made.
'use strict';

const TERMINAL = new Set(['succeeded', 'failed', 'canceled']);
const token = localStorage.getItem('token');
if (!token) signIn();

const state = {
  accounts: new Map(), // id → account
  tasks: new Map(), // id → task (the listed ones)
  details: new Map(), // task id → {shot, page, names, error} of an opened failure
  login: null, // {task, account} of the QR login on screen
  liveIDs: JSON.parse(localStorage.getItem('fanout.live_ids') || '[]'),
  liveSchedules: new Map(), // 抖音号 → schedule
};

function signIn() {
  location.replace('/ui/token?next=' + encodeURIComponent('/console'));
  throw new Error('signing in');
}

// el builds an element: attrs are properties (on* are listeners), children
// are nodes or strings (text nodes, never markup).
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'class') e.className = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else e[k] = v;
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

const $ = (sel) => document.querySelector(sel);
const when = (t) => (t ? new Date(t).toLocaleString() : 'never');

// api calls /api/v1 with the token; a refusal throws an Error whose
// message is the API's (with the fields it names).
let inflight = 0;
function busy(d) {
  inflight += d;
  document.body.setAttribute('aria-busy', inflight > 0 ? 'true' : 'false');
}

async function api(method, path, body, raw) {
  busy(1);
  try { return await call(method, path, body, raw); } finally { busy(-1); }
}

async function call(method, path, body, raw) {
  const opts = { method, headers: { Authorization: 'Bearer ' + token } };
  if (body instanceof FormData) opts.body = body;
  else if (body !== undefined) {
    opts.body = JSON.stringify(body);
    opts.headers['Content-Type'] = 'application/json';
  }
  const res = await fetch('/api/v1' + path, opts);
  if (res.status === 401) signIn();
  if (!res.ok) {
    let msg = res.status + ' ' + res.statusText;
    try {
      const e = (await res.json()).error;
      msg = e.message + (e.fields || []).map((f) => ' — ' + f.field + ': ' + f.message).join('');
    } catch (_) { /* not the envelope */ }
    throw new Error(msg);
  }
  if (raw) return raw === 'blob' ? res.blob() : res.text();
  return res.status === 204 ? null : res.json();
}

function toast(text, bad) {
  const t = el('div', { class: 'toast' + (bad ? ' bad' : '') }, text);
  $('#toasts').append(t);
  setTimeout(() => t.remove(), bad ? 15000 : 5000);
}

// ---- tabs ----

function showTab(name) {
  for (const b of document.querySelectorAll('#tabs button')) b.classList.toggle('on', b.dataset.tab === name);
  for (const s of document.querySelectorAll('section.tab')) s.hidden = s.id !== name;
  if (name === 'schedules') renderTimeline();
}

// ---- accounts ----

async function loadAccounts() {
  const list = (await api('GET', '/accounts')).items || [];
  state.accounts = new Map(list.map((a) => [a.id, a]));
  renderAccounts();
}

function renderAccounts() {
  const byPlatform = new Map();
  for (const a of state.accounts.values()) {
    if (!byPlatform.has(a.platform)) byPlatform.set(a.platform, []);
    byPlatform.get(a.platform).push(a);
  }
  const platforms = [...$('#add-account select').options].map((o) => o.value);
  const out = [];
  for (const p of platforms) {
    const accs = (byPlatform.get(p) || []).sort((x, y) => x.name.localeCompare(y.name));
    if (!accs.length) continue;
    out.push(el('h2', {}, p), el('table', { class: 'accounts' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Name'), el('th', {}, 'Status'), el('th', {}, 'Last check'), el('th', {}))),
      el('tbody', {}, accs.map((a) => el('tr', { dataset: { account: a.id } },
        el('td', {}, a.name),
        el('td', {}, el('span', { class: 'badge ' + a.status }, a.status)),
        el('td', {}, when(a.last_checked_at)),
        el('td', { class: 'actions' },
          el('button', { type: 'button', class: 'check', disabled: !a.has_cookies, title: a.has_cookies ? '' : 'log in first', onclick: () => checkAccount(a) }, 'Check now'),
          el('button', { type: 'button', class: 'login primary', onclick: () => startLogin(a) }, 'Log in (QR)')))))));
  }
  if (!out.length) out.push(el('p', { class: 'empty' }, 'No accounts yet: add one above, then log it in by QR code.'));
  $('#account-groups').replaceChildren(...out);
  renderPublishAccounts();
  renderAccountFilter();
  const expired = [...state.accounts.values()].filter((a) => a.status === 'expired');
  const banner = $('#banner');
  banner.hidden = !expired.length;
  banner.textContent = expired.length
    ? 'Expired — log in again: ' + expired.map((a) => a.platform + '/' + a.name).join(', ') : '';
}

function renderPublishAccounts() {
  const box = $('#publish-accounts');
  const checked = new Set([...box.querySelectorAll('input:checked')].map((i) => i.value));
  const accs = [...state.accounts.values()].sort((x, y) => (x.platform + x.name).localeCompare(y.platform + y.name));
  // Unchanged accounts keep their boxes (a click in flight lands).
  const key = JSON.stringify(accs.map((a) => [a.id, a.name, a.status]));
  if (box.dataset.key === key) return;
  box.dataset.key = key;
  if (!accs.length) return box.replaceChildren(el('p', { class: 'empty' }, 'No accounts yet.'));
  box.replaceChildren(...accs.map((a) => el('label', {},
    el('input', { type: 'checkbox', name: 'account', value: a.id, checked: checked.has(a.id) }),
    a.platform + ' / ' + a.name, a.status === 'active' ? '' : el('span', { class: 'muted' }, ' (' + a.status + ')'))));
}

function renderAccountFilter() {
  const sel = $('#task-filters select[name=account_id]');
  const cur = sel.value;
  sel.replaceChildren(el('option', { value: '' }, 'any'),
    ...[...state.accounts.values()].map((a) => el('option', { value: a.id, selected: a.id === cur }, a.platform + ' / ' + a.name)));
}

async function addAccount(ev) {
  ev.preventDefault();
  const f = ev.target;
  try {
    const fields = f.elements;
    await api('POST', '/accounts', { platform: fields.platform.value, name: fields.name.value.trim() });
    fields.name.value = '';
    await loadAccounts();
  } catch (e) { toast('Add account: ' + e.message, true); }
}

async function checkAccount(a) {
  try {
    const { task_id } = await api('POST', '/accounts/' + a.id + '/check');
    toast('Checking ' + a.name + '…');
    watchOne(task_id);
  } catch (e) { toast('Check: ' + e.message, true); }
}

// startLogin queues a QR login and shows its code and phases as the
// event stream reports them, until it succeeds, fails or expires.
async function startLogin(a) {
  try {
    const { task_id } = await api('POST', '/accounts/' + a.id + '/login');
    state.login = { task: task_id, account: a };
    $('#login-account').textContent = a.platform + ' / ' + a.name;
    $('#login-panel').hidden = false;
    showLogin({ phase: 'waiting' }, 'queued');
    watchOne(task_id);
    const t = await api('GET', '/tasks/' + task_id);
    onTask(t);
  } catch (e) { toast('Log in: ' + e.message, true); }
}

function showLogin(result, taskState) {
  const phase = (result && result.phase) || (TERMINAL.has(taskState) ? taskState : 'waiting');
  $('#login-phase').textContent = phase;
  $('#login-phase').className = 'phase badge ' + (phase === 'succeeded' ? 'succeeded' : ['failed', 'expired'].includes(phase) ? 'failed' : 'running');
  $('#login-message').textContent = (result && result.message) || '';
  const img = $('#login-qr');
  const showQR = result && result.qrcode && /^data:image\//.test(result.qrcode) && !TERMINAL.has(taskState) && phase !== 'expired';
  if (showQR && img.src !== result.qrcode) img.src = result.qrcode;
  img.hidden = !showQR;
}

// ---- tasks ----

function filters() {
  const f = $('#task-filters').elements;
  return { state: f.state.value, platform: f.platform.value, account_id: f.account_id.value };
}

async function loadTasks() {
  const q = filters();
  const params = new URLSearchParams({ limit: '100' });
  if (q.state) params.set('state', q.state);
  if (q.account_id) params.set('account_id', q.account_id);
  const page = await api('GET', '/tasks?' + params);
  state.tasks = new Map(page.items.map((t) => [t.id, t]));
  renderTasks();
}

let reloadTimer = null;
function reloadTasksSoon() {
  if (reloadTimer) clearTimeout(reloadTimer);
  else busy(1);
  reloadTimer = setTimeout(() => {
    reloadTimer = null;
    loadTasks().catch((e) => toast('Tasks: ' + e.message, true)).finally(() => busy(-1));
  }, 250);
}

function visible(t) {
  const q = filters();
  return (!q.state || t.state === q.state) && (!q.platform || t.platform === q.platform) &&
    (!q.account_id || t.account_id === q.account_id);
}

function renderTasks() {
  const table = $('#task-table');
  for (const b of table.querySelectorAll('tbody')) b.remove();
  const list = [...state.tasks.values()].filter(visible).sort((a, b) => b.created_at.localeCompare(a.created_at));
  for (const t of list) table.append(taskBody(t));
  $('#tasks-empty').hidden = list.length > 0;
}

function renderTask(t) {
  const old = document.querySelector('#task-table tbody[data-task="' + t.id + '"]');
  if (!old) return renderTasks();
  if (!visible(t)) return old.remove();
  old.replaceWith(taskBody(t));
}

function accountName(id) {
  const a = state.accounts.get(id);
  return a ? a.platform + ' / ' + a.name : id.slice(0, 8);
}

// taskBody is one task's rows: the task, then its failure or its
// verification prompt when it has one.
function taskBody(t) {
  const req = t.request || {};
  const actions = el('td', { class: 'actions' });
  if (!TERMINAL.has(t.state)) {
    actions.append(el('button', { type: 'button', class: 'cancel danger', disabled: t.cancel_requested, onclick: () => cancelTask(t) },
      t.cancel_requested ? 'Canceling' : 'Cancel'));
  }
  if (t.state === 'failed' || t.state === 'canceled') {
    actions.append(el('button', { type: 'button', class: 'retry', onclick: () => retryTask(t) }, 'Retry'));
  }
  if (t.state === 'failed') {
    const open = state.details.has(t.id);
    actions.append(el('button', { type: 'button', class: 'artifacts', onclick: () => toggleDetail(t) }, open ? 'Hide failure' : 'Failure'));
  }
  const title = t.kind === 'publish' ? (req.title || '') : '';
  const body = el('tbody', { dataset: { task: t.id, state: t.state } },
    el('tr', {},
      el('td', { title: t.id }, when(t.created_at)),
      el('td', {}, t.kind),
      el('td', {}, accountName(t.account_id)),
      el('td', {}, title, req.schedule_at ? el('div', { class: 'muted' }, 'at ' + when(req.schedule_at)) : null),
      el('td', {}, el('span', { class: 'badge state ' + t.state }, t.state),
        t.error ? el('div', { class: 'err' }, t.error.code + (t.error.step ? ' at ' + t.error.step : '') + ': ' + t.error.message) : null),
      el('td', { class: 'step' }, t.step || '—'),
      el('td', {}, el('progress', { max: 100, value: t.progress || 0 }), ' ', el('span', { class: 'pct' }, (t.progress || 0) + '%')),
      actions));
  const ch = t.result && t.result.challenge;
  if (t.state === 'running' && t.step === 'verification_required' && ch) body.append(challengeRow(t, ch));
  const d = state.details.get(t.id);
  if (d) body.append(detailRow(d));
  return body;
}

function challengeRow(t, ch) {
  const input = el('input', { name: 'code', placeholder: 'code', autocomplete: 'one-time-code', maxLength: 64 });
  const send = async (answer) => {
    try {
      onTask(await api('POST', '/tasks/' + t.id + '/input', answer));
      toast('Answer sent');
    } catch (e) { toast('Answer: ' + e.message, true); }
  };
  const form = el('form', { class: 'inline', onsubmit: (ev) => { ev.preventDefault(); send({ code: input.value.trim() }); } },
    input, el('button', { type: 'submit' }, 'Send'),
    el('button', { type: 'button', onclick: () => send({ done: true }) }, 'Done on the phone'));
  return el('tr', { class: 'detail' }, el('td', { colSpan: 8 }, el('div', { class: 'challenge' },
    el('strong', {}, 'Verification (' + ch.kind + '): '), ch.prompt,
    ch.screenshot && /^data:image\//.test(ch.screenshot) ? el('img', { src: ch.screenshot, alt: 'what the site shows' }) : null,
    el('div', { class: 'muted' }, 'until ' + when(ch.expires_at)), form)));
}

// toggleDetail opens a failed task's artifacts: its screenshot as an
// image and its saved page in a sandboxed frame (no scripts, no origin).
async function toggleDetail(t) {
  if (state.details.has(t.id)) {
    const d = state.details.get(t.id);
    if (d.shot) URL.revokeObjectURL(d.shot);
    state.details.delete(t.id);
    return renderTask(t);
  }
  const d = { names: [], shot: null, page: null, error: null };
  state.details.set(t.id, d);
  try {
    d.names = (await api('GET', '/tasks/' + t.id + '/artifacts')).items || [];
    const shot = d.names.find((n) => /\.png$/i.test(n));
    const page = d.names.find((n) => /\.html?$/i.test(n));
    if (shot) d.shot = URL.createObjectURL(await api('GET', '/tasks/' + t.id + '/artifacts/' + encodeURIComponent(shot), undefined, 'blob'));
    if (page) d.page = await api('GET', '/tasks/' + t.id + '/artifacts/' + encodeURIComponent(page), undefined, 'text');
  } catch (e) { d.error = e.message; }
  renderTask(state.tasks.get(t.id) || t);
}

function detailRow(d) {
  const cell = el('td', { colSpan: 8 });
  if (d.error) cell.append(el('p', { class: 'err' }, d.error));
  else if (!d.names.length) cell.append(el('p', { class: 'muted' }, 'No screenshot or page was kept for this failure.'));
  if (d.shot) cell.append(el('div', {}, el('strong', {}, 'Screenshot'), el('img', { class: 'shot', src: d.shot, alt: 'the page when the step failed' })));
  if (d.page !== null) {
    const frame = el('iframe', { title: 'the saved page', className: 'page' });
    frame.setAttribute('sandbox', '');
    frame.srcdoc = d.page;
    cell.append(el('details', {}, el('summary', {}, 'Saved page'), frame));
  }
  return el('tr', { class: 'detail' }, cell);
}

async function cancelTask(t) {
  try { onTask(await api('POST', '/tasks/' + t.id + '/cancel')); } catch (e) { toast('Cancel: ' + e.message, true); }
}

// retryTask asks again for what the task was asked: the same publish (a
// schedule already past is dropped), login or check.
async function retryTask(t) {
  try {
    let ids;
    if (t.kind === 'publish') {
      const r = t.request || {};
      if (!r.file_id) throw new Error('this task cannot be retried from here');
      const body = { file_ids: [r.file_id], account_ids: [t.account_id], title: r.title || '' };
      if (r.description) body.description = r.description;
      if (r.tags && r.tags.length) body.tags = r.tags;
      if (r.cover_file_id) body.cover_file_id = r.cover_file_id;
      if (r.schedule_at && new Date(r.schedule_at) > Date.now() + 2 * 3600e3) body.schedule = { at: r.schedule_at };
      const opts = {};
      for (const k of ['declaration', 'product_link', 'product_title', 'short_title', 'category', 'draft', 'collection', 'visibility', 'made_for_kids']) {
        if (r[k] !== undefined && r[k] !== '' && r[k] !== false) opts[k] = r[k];
      }
      if (Object.keys(opts).length) body.options = opts;
      ids = (await api('POST', '/publish', body)).task_ids;
    } else {
      ids = [(await api('POST', '/accounts/' + t.account_id + '/' + t.kind)).task_id];
    }
    toast('Retried as ' + ids.map((i) => i.slice(0, 8)).join(', '));
    reloadTasksSoon();
  } catch (e) { toast('Retry: ' + e.message, true); }
}

// ---- live: one event stream for every task and account ----

// watchOne lists a task started here; the stream then follows it.
function watchOne() { reloadTasksSoon(); }

// onTask takes a task as the API returned it.
function onTask(t) {
  state.tasks.set(t.id, t);
  if (state.login && state.login.task === t.id) {
    showLogin(t.result, t.state);
    if (TERMINAL.has(t.state)) loadAccounts().catch(() => {});
  }
  renderTask(t);
}

// onEvent applies one task event; an unknown task is listed again.
function onEvent(e) {
  const t = state.tasks.get(e.task_id);
  if (state.login && state.login.task === e.task_id) showLogin(e.data || (t && t.result), e.state);
  if (!t) return reloadTasksSoon();
  t.state = e.state;
  t.step = e.step;
  t.progress = e.progress;
  if (e.data) t.result = e.data;
  renderTask(t);
  if (TERMINAL.has(e.state) || e.step === 'verification_required') {
    // The final row (its error, finished time) and what it changed.
    api('GET', '/tasks/' + e.task_id).then(onTask).catch(() => {});
    if (t.kind !== 'publish' || (t.error && t.error.code === 'login_required')) loadAccounts().catch(() => {});
  }
}

function onAccount(ch) {
  const a = state.accounts.get(ch.account_id);
  if (a) a.status = ch.status;
  loadAccounts().catch(() => {});
  if (ch.status === 'expired') toast('Account expired: ' + ch.platform + ' / ' + ch.name + ' — log in again', true);
}

function connect() {
  const es = new EventSource('/api/v1/events');
  const live = $('#live');
  es.onopen = () => { live.textContent = 'live'; live.classList.remove('off'); };
  es.onerror = () => { live.textContent = 'reconnecting'; live.classList.add('off'); };
  es.addEventListener('task', (m) => onEvent(JSON.parse(m.data)));
  es.addEventListener('account', (m) => onAccount(JSON.parse(m.data)));
}

// ---- publish ----

// upload sends the file with XMLHttpRequest, which reports upload progress
// (fetch does not).
function upload(file, progress) {
  busy(1);
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.onloadend = () => busy(-1);
    x.open('POST', '/api/v1/files');
    x.setRequestHeader('Authorization', 'Bearer ' + token);
    x.upload.onprogress = (e) => { if (e.lengthComputable) progress.value = Math.round(100 * e.loaded / e.total); };
    x.onload = () => {
      let body = null;
      try { body = JSON.parse(x.responseText); } catch (_) { /* not JSON */ }
      if (x.status === 201) return resolve(body);
      if (x.status === 401) signIn();
      reject(new Error(body && body.error ? body.error.message + (body.error.fields || []).map((f) => ' — ' + f.field + ': ' + f.message).join('') : 'upload failed: ' + x.status));
    };
    x.onerror = () => reject(new Error('upload failed: network'));
    const fd = new FormData();
    fd.append('file', file);
    x.send(fd);
  });
}

async function publish(ev) {
  ev.preventDefault();
  const f = ev.target;
  const out = $('#publish-result');
  const progress = $('#upload-progress');
  const accounts = [...f.querySelectorAll('input[name=account]:checked')].map((i) => i.value);
  if (!accounts.length) { out.textContent = 'Pick at least one account.'; return; }
  const submit = f.querySelector('button[type=submit]');
  submit.disabled = true;
  try {
    out.textContent = 'Uploading…';
    progress.hidden = false;
    const file = await upload(f.elements.file.files[0], progress);
    const body = { file_ids: [file.id], account_ids: accounts, title: f.elements.title.value.trim() };
    const tags = f.elements.tags.value.split(/[\s,，#]+/).filter(Boolean);
    if (tags.length) body.tags = tags;
    if (f.elements.at.value) body.schedule = { at: new Date(f.elements.at.value).toISOString() };
    const { task_ids } = await api('POST', '/publish', body);
    out.textContent = 'Queued ' + task_ids.length + ' task(s).';
    f.reset();
    task_ids.forEach(watchOne);
    showTab('tasks');
  } catch (e) {
    out.textContent = 'Not published: ' + e.message;
  } finally {
    submit.disabled = false;
    progress.hidden = true;
  }
}

// ---- schedules ----

async function loadLiveSchedule(id) {
  busy(1);
  try { return await liveSchedule(id); } finally { busy(-1); }
}

async function liveSchedule(id) {
  const res = await fetch('/douyin/schedule?douyin_id=' + encodeURIComponent(id), { headers: { Authorization: 'Bearer ' + token } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok || !body.success) throw new Error(body.detail || res.statusText);
  state.liveSchedules.set(id, body);
}

async function addLive(ev) {
  ev.preventDefault();
  const id = ev.target.elements.douyin_id.value.trim();
  try {
    await loadLiveSchedule(id);
    if (!state.liveIDs.includes(id)) state.liveIDs.push(id);
    localStorage.setItem('fanout.live_ids', JSON.stringify(state.liveIDs));
    ev.target.reset();
    renderTimeline();
  } catch (e) { toast('Live schedule of ' + id + ': ' + e.message, true); }
}

async function renderTimeline() {
  let scheduled = [];
  try {
    const page = await api('GET', '/tasks?kind=publish&limit=200');
    scheduled = page.items.filter((t) => t.request && t.request.schedule_at);
  } catch (e) { toast('Schedules: ' + e.message, true); }
  await Promise.all(state.liveIDs.map((id) => loadLiveSchedule(id).catch(() => {})));
  const items = scheduled.map((t) => ({ at: new Date(t.request.schedule_at), kind: 'publish',
    text: accountName(t.account_id) + ' — ' + (t.request.title || ''), state: t.state }));
  for (const [id, s] of state.liveSchedules) {
    if (s.scheduled_start_enabled && s.scheduled_start_time) items.push({ at: new Date(s.scheduled_start_time * 1000), kind: 'live start', text: '抖音号 ' + id });
    if (s.scheduled_stop_enabled && s.scheduled_stop_time) items.push({ at: new Date(s.scheduled_stop_time * 1000), kind: 'live stop', text: '抖音号 ' + id });
  }
  items.sort((a, b) => a.at - b.at);
  const out = [];
  let day = '';
  let ul = null;
  for (const it of items) {
    const d = it.at.toLocaleDateString(undefined, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' });
    if (d !== day) {
      day = d;
      ul = el('ul', { class: 'timeline' });
      out.push(el('div', { class: 'day' }, d), ul);
    }
    ul.append(el('li', {}, el('time', { dateTime: it.at.toISOString() }, it.at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })),
      el('span', { class: 'tag' }, it.kind), it.text, it.state ? el('span', { class: 'badge ' + it.state }, it.state) : null));
  }
  if (!out.length) out.push(el('p', { class: 'empty' }, 'Nothing scheduled. Publishes with a time and live schedules (add a 抖音号 above) show here.'));
  $('#timeline').replaceChildren(...out);
}

// ---- start ----

document.addEventListener('DOMContentLoaded', () => {
  for (const b of document.querySelectorAll('#tabs button')) b.addEventListener('click', () => showTab(b.dataset.tab));
  $('#add-account').addEventListener('submit', addAccount);
  $('#refresh-accounts').addEventListener('click', () => loadAccounts().catch((e) => toast(e.message, true)));
  $('#refresh-tasks').addEventListener('click', reloadTasksSoon);
  $('#task-filters').addEventListener('change', reloadTasksSoon);
  $('#login-close').addEventListener('click', () => { state.login = null; $('#login-panel').hidden = true; });
  $('#publish-form').addEventListener('submit', publish);
  $('#live-lookup').addEventListener('submit', addLive);
  connect();
  busy(1);
  loadAccounts().then(loadTasks).catch((e) => toast(e.message, true)).finally(() => busy(-1));
});
