/**
 * The Partyline web client: one page for `/` (landing) and `/r/CODE` (a room).
 *
 * Routing: the path decides the view. `/` shows the landing view. `/r/CODE` joins CODE when a
 * name is stored (localStorage), else shows the landing view asking for a name with the code
 * filled in. Creating or joining from the landing view pushes `/r/CODE` with
 * history.pushState (no reload: the same connection, so a creator stays host); the back
 * button leaves the room and shows the landing view again.
 *
 * All user-provided text goes into the page through textContent, never innerHTML.
 *
 * Dropped connections: the library resumes the session by itself, so the page only shows
 * "Reconnecting…" meanwhile; what was missed arrives as ordinary events (or a 'state' that
 * redraws the room), and a message sent while down is delivered once when the session is back.
 *
 * Reloading the tab resumes the session too, instead of joining again as a new player (which
 * would leave a ghost of oneself "away" for two minutes). On `pagehide` the page keeps the
 * resume token, the next request id, the name and the room in sessionStorage; the next page of
 * the same tab reads the entry once and removes it, and resumes only for that same room and
 * name. The token is written only when the page goes away, never while it runs, so a tab
 * duplicated from a live page (which copies sessionStorage) cannot take the session over.
 * localStorage is never used for it: the token is a secret of this tab's session.
 */
import { Partyline, normalizeCode, isValidCode } from '/partyline.js';
import { mountSwitchonyms, watchServerClock, setupRoundLength, hostOptions, fitsName, MAX_NAME } from '/switchonyms.js';

const NAME_KEY = 'partyline.name';
const SESSION_KEY = 'partyline.session';
/** Older than this, a kept session is not worth trying (the server's grace is 120 s). */
const SESSION_MAX_AGE_MS = 110_000;
const MAX_TEXT = 500;
const MAX_TITLE = 40;
const MAX_RENDERED_MESSAGES = 300;

const $ = (id) => document.getElementById(id);
const ui = {
  banner: $('connection-banner'), bannerText: $('connection-text'), reconnect: $('reconnect-button'),
  error: $('error'), errorText: $('error-text'), errorDismiss: $('error-dismiss'),
  landing: $('landing-view'), joinHint: $('join-hint'), joinHintCode: $('join-hint-code'),
  name: $('name-input'), create: $('create-button'), joinForm: $('join-form'), code: $('code-input'),
  join: $('join-button'), status: $('landing-status'),
  room: $('room-view'), title: $('room-title'), renameButton: $('rename-button'), leave: $('leave-button'),
  renameForm: $('rename-form'), renameInput: $('rename-input'), renameCancel: $('rename-cancel'),
  roomCode: $('room-code'), copyLink: $('copy-link'), roomLink: $('room-link'),
  members: $('member-list'), messages: $('message-list'),
  composer: $('composer'), messageInput: $('message-input'), charCount: $('char-count'), send: $('send-button'),
};

/** @type {?Partyline} */ let client = null;
/** The code of the room on screen, or null on the landing view. */ let current = null;
/** The session the previous page of this tab left behind: {resumeToken, nextId, name, room}. */
let kept = takeKeptSession();

// ------------------------------------------------------------------ messages for people

const ERROR_TEXT = {
  room_not_found: (code) => `There is no room with code ${code || 'that code'}. Check the code and try again.`,
  invalid_code: () => 'Room codes are 4 letters (A–Z, without I and O).',
  room_full: () => 'That room is full.',
  rate_limited: () => 'Slow down: too many attempts. Wait a moment and try again.',
  text_too_long: () => `That message is too long (at most ${MAX_TEXT} characters).`,
  not_host: () => 'Only the host can do that.',
  name_required: () => 'Please enter your name first.',
  title_invalid: () => `A room title has 1 to ${MAX_TITLE} characters.`,
  timeout: () => 'The server did not answer in time. Try again.',
  network_error: () => 'Cannot reach the server. Check your connection and try again.',
  connection_failed: () => 'Could not connect to the server. Try again in a moment.',
  connection_lost: () => 'The connection dropped before the server answered. Try again.',
  closed: () => 'Not connected to the server. Try again.',
  shutting_down: () => 'The server is restarting. Try again in a moment.',
  room_closed: (code) => `Room ${code} has closed.`,
  room_left: (code) => `You are no longer in room ${code}.`,
  name_taken: () => 'Someone in that room already has that name: pick another one.',
  name_too_long: () => `For Switchonyms, pick a name of at most ${MAX_NAME} characters.`,
};

/** Shows an error (a PartylineError, or a code) in the error display. */
function showError(error, code) {
  const key = typeof error === 'string' ? error : error?.code;
  const text = ERROR_TEXT[key] ? ERROR_TEXT[key](code)
    : (error?.message || 'Something went wrong.') + (key ? ` (${key})` : '');
  ui.errorText.textContent = text;
  ui.error.dataset.code = key || 'error';
  ui.error.hidden = false;
}

function clearError() {
  ui.error.hidden = true;
  ui.errorText.textContent = '';
  delete ui.error.dataset.code;
}

function setBanner(text, { final = false } = {}) {
  if (text === null) {
    ui.banner.hidden = true;
    return;
  }
  ui.bannerText.textContent = text;
  ui.banner.dataset.state = final ? 'closed' : 'reconnecting';
  ui.reconnect.hidden = !final;
  ui.banner.hidden = false;
}

// ------------------------------------------------------------------ the connection

/** Reads and removes the session kept by the previous page of this tab (see the top comment). */
function takeKeptSession() {
  try {
    const text = sessionStorage.getItem(SESSION_KEY);
    sessionStorage.removeItem(SESSION_KEY);
    const entry = text ? JSON.parse(text) : null;
    if (!entry || typeof entry.resumeToken !== 'string' || Date.now() - entry.at > SESSION_MAX_AGE_MS) return null;
    return entry;
  } catch (_) {
    return null;                   // storage disabled, or not JSON
  }
}

/** Keeps the session for the next page of this tab when this one goes away (reload). */
function keepSession() {
  const state = client?.sessionState();
  if (!state || !current) return;
  try {
    sessionStorage.setItem(SESSION_KEY, JSON.stringify({ ...state, name: client.name, room: current, at: Date.now() }));
  } catch (_) { /* storage disabled: the next page starts a new session */ }
}

function storedName() {
  try { return (localStorage.getItem(NAME_KEY) || '').trim(); } catch (_) { return ''; }
}

function storeName(name) {
  try { localStorage.setItem(NAME_KEY, name); } catch (_) { /* private mode */ }
}

/** The name from the name field, stored; or null (with an error shown) when it is empty. */
function requireName() {
  const name = ui.name.value.trim();
  if (!name) {
    showError('name_required');
    ui.name.focus();
    return null;
  }
  storeName(name);
  return name;
}

/**
 * A connected client for `name`: the current one, or a new one when the name changed. For
 * `room`, a new client resumes the session the previous page of this tab kept for that room.
 */
async function ensureClient(name, room = null) {
  const resume = kept && room && kept.room === room && kept.name === name ? kept : null;
  kept = null;                     // used at most once, by the first client
  if (client && client.name === name && client.status !== 'closed' && client.status !== 'idle') {
    client.wake();         // while reconnecting: try now; requests wait for the connection
    return client;
  }
  if (client) {
    const old = client;
    client = null;
    old.close();
  }
  const created = new Partyline(resume ? { name, session: resume } : { name });
  client = created;
  listen(created);
  watchServerClock(created);
  try {
    await created.connect();
  } catch (e) {
    if (client === created) client = null;
    throw e;
  }
  return created;
}

/** Wires one client's events to the page; events of a replaced client are ignored. */
function listen(c) {
  const mine = (fn) => (...args) => { if (c === client) fn(...args); };
  c.on('state', mine((room) => { if (room.room === current) renderRoom(room); }));
  c.on('event', mine(onRoomEvent));
  c.on('error', mine((e) => showError(e)));
  c.on('reconnecting', mine(() => setBanner('Reconnecting…')));
  c.on('reconnected', mine(() => setBanner(null)));
  c.on('open', mine(() => { if (c.rooms.size === 0) setBanner(null); }));
  c.on('close', mine(({ code, willReconnect }) => {
    if (willReconnect) setBanner('Reconnecting…');
    else if (current) setBanner(code === 4004 ? 'This room was opened in another tab.' : 'Disconnected.', { final: true });
    else setBanner(null);
  }));
  c.on('roomlost', mine(({ room, error }) => {
    if (room !== current) return;        // closed while away, seat gone, or not re-joined: say so
    current = null;
    history.replaceState(null, '', '/');
    showLanding();
    showError(error?.code === 'not_a_member' ? 'room_left' : 'room_closed', room);
  }));
}

// ------------------------------------------------------------------ routing

function codeFromPath(pathname) {
  const match = /^\/r\/([^/]*)\/?$/.exec(pathname);
  return match ? decodeURIComponent(match[1]) : null;
}

/** Shows what the current URL asks for (at start and on back/forward). */
async function route() {
  const code = codeFromPath(location.pathname);
  if (code === null) {
    if (current) leaveCurrent();
    showLanding();
    return;
  }
  const normalized = normalizeCode(code);
  if (normalized === current) {
    showView('room');
    return;
  }
  if (current) leaveCurrent();
  if (!storedName()) {
    showLanding({ askNameFor: normalized });
    return;
  }
  await joinRoom(normalized, { push: false });
}

/** Leaves the room on screen (without waiting for the server). */
function leaveCurrent() {
  const code = current;
  current = null;
  if (client && code) client.leave(code).catch(() => { /* gone anyway */ });
  ui.messages.replaceChildren();
  ui.members.replaceChildren();
}

function showView(which) {
  if (which !== 'room') unmountGame();
  ui.landing.hidden = which !== 'landing';
  ui.room.hidden = which !== 'room' || game !== null;
  gameView.hidden = which !== 'room' || game === null;
  document.body.classList.toggle('in-room', which === 'room');
  if (which === 'landing') document.title = 'Partyline';
}

function showLanding({ askNameFor = null } = {}) {
  showView('landing');
  ui.status.textContent = '';
  if (!ui.name.value) ui.name.value = storedName();
  ui.joinHint.hidden = !askNameFor;
  if (askNameFor) {
    ui.joinHintCode.textContent = askNameFor;
    ui.code.value = askNameFor;
    ui.name.focus();
  }
  if (!current) setBanner(null);
}

function setBusy(busy, text = '') {
  ui.create.disabled = busy;
  hostButton.disabled = busy;
  ui.join.disabled = busy;
  ui.status.textContent = text;
  ui.landing.setAttribute('aria-busy', String(busy));
}

// ------------------------------------------------------------------ create and join

async function createRoom() {
  clearError();
  const name = requireName();
  if (!name) return;
  setBusy(true, 'Creating a room…');
  try {
    const c = await ensureClient(name);
    const title = `${name}'s room`.slice(0, MAX_TITLE);
    const room = await c.create('chat', { title });
    enterRoom(room, true);
  } catch (e) {
    showError(e);
  } finally {
    setBusy(false);
  }
}

/**
 * Joins `code` and shows it. With push, the URL becomes /r/CODE as a new history entry;
 * without (a direct /r/CODE link), it is only tidied up (upper case).
 */
async function joinRoom(code, { push }) {
  clearError();
  showLanding();
  ui.code.value = code;
  if (!isValidCode(code)) {
    showError('invalid_code');
    if (!push) history.replaceState(null, '', '/');
    return;
  }
  const name = push ? requireName() : storedName();
  if (!name) return;
  if (!ui.name.value) ui.name.value = name;
  setBusy(true, `Joining ${code}…`);
  try {
    const c = await ensureClient(name, push ? null : code);
    const room = await c.join(code);
    enterRoom(room, push);
  } catch (e) {
    if (e.code === 'already_joined' && client?.room(code)) {
      enterRoom(client.room(code), push);
    } else {
      showError(e, code);
      if (!push) history.replaceState(null, '', '/');
    }
  } finally {
    setBusy(false);
  }
}

function enterRoom(room, push) {
  current = room.room;
  const path = '/r/' + room.room;
  if (location.pathname === path) history.replaceState({ room: room.room }, '', path);
  else if (push) history.pushState({ room: room.room }, '', path);
  else history.replaceState({ room: room.room }, '', path);
  ui.joinHint.hidden = true;
  ui.code.value = '';
  showView('room');
  renderRoom(room);
  ui.messageInput.focus();
}

// ------------------------------------------------------------------ the room view

/** Draws a whole room from its snapshot (after join, create, re-join or a state frame). */
function renderRoom(room) {
  if (renderGame(room)) return;
  const state = room.state || {};
  renderTitle(room);
  ui.roomCode.textContent = room.room;
  ui.roomLink.textContent = `${location.origin}/r/${room.room}`;
  renderMembers(room);
  const messages = Array.isArray(state.messages) ? state.messages : [];
  // Messages still being sent stay at the end: a resync after a resume must not drop them.
  const sending = room.room === current ? [...ui.messages.querySelectorAll('[data-testid=pending-message]')] : [];
  ui.messages.replaceChildren(...messages.map((m) => messageElement(m, room.you)), ...sending);
  scrollMessages(true);
}

function renderTitle(room) {
  const title = room.state?.title || (room.type === 'chat' ? 'Chat' : room.type);
  ui.title.textContent = title;
  document.title = `${title} · ${room.room} · Partyline`;
  const host = isHost(room);
  ui.renameButton.hidden = !host || !ui.renameForm.hidden;
  if (!host) ui.renameForm.hidden = true;
}

function isHost(room) {
  return room.members.some((m) => m.id === room.you && m.host);
}

function renderMembers(room) {
  const items = room.members.map((m) => {
    const li = document.createElement('li');
    li.className = 'member' + (m.online ? ' online' : ' away') + (m.host ? ' host' : '') + (m.id === room.you ? ' me' : '');
    li.dataset.testid = 'member';
    li.dataset.id = m.id;
    li.dataset.online = String(m.online);
    li.dataset.host = String(m.host);
    const dot = document.createElement('span');
    dot.className = 'presence';
    dot.title = m.online ? 'online' : 'away';
    const name = document.createElement('span');
    name.className = 'member-name';
    name.textContent = m.name + (m.id === room.you ? ' (you)' : '');
    li.append(dot, name);
    if (m.host) li.append(badge('host', 'host-marker'));
    if (!m.online) li.append(badge('away', 'away-marker'));
    return li;
  });
  ui.members.replaceChildren(...items);
}

function badge(text, testid) {
  const span = document.createElement('span');
  span.className = 'badge ' + testid;
  span.dataset.testid = testid;
  span.textContent = text;
  return span;
}

/** One chat message: {from, name, text, at}. */
function messageElement(m, you) {
  const li = document.createElement('li');
  const own = m.from != null && m.from === you;
  li.className = 'message' + (own ? ' own' : '');
  li.dataset.testid = 'message';
  li.dataset.from = m.from ?? '';
  li.dataset.own = String(own);
  const meta = document.createElement('div');
  meta.className = 'message-meta';
  const name = document.createElement('span');
  name.className = 'message-name';
  name.dataset.testid = 'message-name';
  name.textContent = m.name || 'someone';
  meta.append(name);
  if (m.at) {
    const time = document.createElement('time');
    time.dateTime = new Date(m.at).toISOString();
    time.textContent = new Date(m.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    meta.append(time);
  }
  const text = document.createElement('div');
  text.className = 'message-text';
  text.dataset.testid = 'message-text';
  text.textContent = m.text ?? '';
  li.append(meta, text);
  return li;
}

/**
 * A message of one's own that the server has not confirmed yet (sent while reconnecting, or
 * waiting for its reply): shown greyed as "sending…", until its event or its reply comes.
 */
function pendingElement(text, you) {
  const li = messageElement({ from: you, name: client?.player?.name, text }, you);
  li.classList.add('pending');
  li.dataset.testid = 'pending-message';
  const status = document.createElement('time');
  status.textContent = 'sending…';
  li.querySelector('.message-meta').append(status);
  return li;
}

/** Removes the oldest pending message with this text: its own event has come. */
function settlePending(text) {
  const match = [...ui.messages.querySelectorAll('[data-testid=pending-message]')]
    .find((li) => li.querySelector('[data-testid=message-text]').textContent === text);
  match?.remove();
}

/** A line about presence or the title ("Ann joined"): not a chat message. */
function noticeElement(text) {
  const li = document.createElement('li');
  li.className = 'notice';
  li.dataset.testid = 'notice';
  li.textContent = text;
  return li;
}

function appendToList(element, force) {
  const nearBottom = ui.messages.scrollHeight - ui.messages.scrollTop - ui.messages.clientHeight < 80;
  ui.messages.append(element);
  while (ui.messages.children.length > MAX_RENDERED_MESSAGES) ui.messages.firstElementChild.remove();
  scrollMessages(force || nearBottom);
}

function scrollMessages(yes) {
  if (yes) ui.messages.scrollTop = ui.messages.scrollHeight;
}

/** A room event (already deduplicated by the library, members already updated). */
function onRoomEvent(event, room) {
  if (event.room !== current) return;
  if (game?.code === event.room) { game.view.onEvent(event, room); return; }
  const data = event.data || {};
  const who = data.name || room.members.find((m) => m.id === data.id)?.name || 'Someone';
  switch (event.name) {
    case 'message': {
      const message = { from: event.from, name: data.name, text: data.text, at: Date.now() };
      if (room.state && Array.isArray(room.state.messages)) {
        room.state.messages.push(message);
        if (room.state.messages.length > 100) room.state.messages.shift();
      }
      if (event.from === room.you) settlePending(data.text);
      appendToList(messageElement(message, room.you), event.from === room.you);
      break;
    }
    case 'renamed':
      if (room.state) room.state.title = data.title;
      renderTitle(room);
      appendToList(noticeElement(`The room is now called “${data.title}”.`));
      break;
    case 'joined': renderMembers(room); appendToList(noticeElement(`${who} joined.`)); break;
    case 'left': renderMembers(room); appendToList(noticeElement(`${who} left.`)); break;
    // One's own away/back (replayed after a resume) is what the banner already said.
    case 'away': renderMembers(room); if (data.id !== room.you) appendToList(noticeElement(`${who} is away.`)); break;
    case 'back': renderMembers(room); if (data.id !== room.you) appendToList(noticeElement(`${who} is back.`)); break;
    case 'host':
      renderMembers(room);
      renderTitle(room);
      appendToList(noticeElement(data.id === room.you ? 'You are the host now.' : `${who} is the host now.`));
      break;
    default:
      break;
  }
}

async function sendMessage() {
  const text = ui.messageInput.value.trim();
  if (!text || !current || !client) return;
  clearError();
  const room = current;
  ui.messageInput.value = '';
  updateCharCount();
  const pending = pendingElement(text, client.room(room)?.you ?? client.player?.id);
  appendToList(pending, true);
  try {
    await client.send(room, 'message', { text });
  } catch (e) {
    if (!ui.messageInput.value) {
      ui.messageInput.value = text;       // give the text back to fix or retry
      updateCharCount();
    }
    showError(e);
  } finally {
    pending.remove();              // its event shows it now (or the error said why not)
  }
}

function updateCharCount() {
  const length = ui.messageInput.value.length;
  ui.charCount.hidden = length < MAX_TEXT - 100;
  ui.charCount.textContent = `${length}/${MAX_TEXT}`;
  ui.charCount.classList.toggle('over', length > MAX_TEXT);
}

async function renameRoom() {
  const title = ui.renameInput.value.trim();
  if (!title || title.length > MAX_TITLE) {
    showError('title_invalid');
    return;
  }
  clearError();
  try {
    await client.send(current, 'rename', { title });
    closeRenameForm();
  } catch (e) {
    showError(e);
  }
}

function closeRenameForm() {
  ui.renameForm.hidden = true;
  const room = current && client?.room(current);
  ui.renameButton.hidden = !(room && isHost(room));
}

async function copyLink() {
  const url = `${location.origin}/r/${current}`;
  let copied = false;
  try {
    await navigator.clipboard.writeText(url);
    copied = true;
  } catch (_) {
    const field = document.createElement('input');
    field.value = url;
    document.body.append(field);
    field.select();
    try { copied = document.execCommand('copy'); } catch (__) { copied = false; }
    field.remove();
  }
  ui.copyLink.textContent = copied ? 'Copied!' : 'Copy failed';
  ui.copyLink.dataset.copied = String(copied);
  setTimeout(() => { ui.copyLink.textContent = 'Copy link'; delete ui.copyLink.dataset.copied; }, 2000);
}

// ------------------------------------------------------------------ game rooms (switchonyms.js)

const gameView = $('game-view');
const hostButton = $('host-button');
const roundSelect = $('round-seconds');
/** Room types drawn by a view of their own (from its module) instead of the chat view. */
const GAME_VIEWS = { switchonyms: mountSwitchonyms };
/** The mounted game view, {code, view}, or null: it gets the room's events and snapshots. */
let game = null;

/** Creates a Switchonyms room with the round length picked on the landing page, and shows it. */
async function hostSwitchonyms() {
  clearError();
  const name = requireName();
  if (!name) return;
  if (!fitsName(name)) {
    showError('name_too_long');
    ui.name.focus();
    return;
  }
  setBusy(true, 'Creating a game…');
  try {
    const c = await ensureClient(name);
    const room = await c.create('switchonyms', hostOptions(roundSelect));
    enterRoom(room, true);
  } catch (e) {
    showError(e);
  } finally {
    setBusy(false);
  }
}

/** Draws a room with its game view when its type has one (mounted once per room); false otherwise. */
function renderGame(room) {
  const mount = GAME_VIEWS[room.type];
  if (!mount) {
    if (game) { unmountGame(); showView('room'); }
    return false;
  }
  if (game?.code === room.room) {
    game.view.onState(room);
  } else {
    unmountGame();
    game = { code: room.room, view: mount(gameView, client, room, { leave: leaveGame }) };
  }
  showView('room');
  return true;
}

function unmountGame() {
  const mounted = game;
  game = null;
  mounted?.view.unmount();
}

function leaveGame() {
  leaveCurrent();
  history.pushState(null, '', '/');
  showLanding();
}

// ------------------------------------------------------------------ wiring

ui.create.addEventListener('click', createRoom);
hostButton.addEventListener('click', hostSwitchonyms);
setupRoundLength(roundSelect);
ui.joinForm.addEventListener('submit', (e) => {
  e.preventDefault();
  joinRoom(normalizeCode(ui.code.value), { push: true });
});
ui.name.addEventListener('change', () => { if (ui.name.value.trim()) storeName(ui.name.value.trim()); });
ui.code.addEventListener('input', () => {
  const upper = ui.code.value.toUpperCase();
  if (upper !== ui.code.value) ui.code.value = upper;
});
ui.composer.addEventListener('submit', (e) => { e.preventDefault(); sendMessage(); });
ui.messageInput.addEventListener('input', updateCharCount);
ui.copyLink.addEventListener('click', copyLink);
ui.leave.addEventListener('click', () => {
  leaveCurrent();
  history.pushState(null, '', '/');
  showLanding();
});
ui.renameButton.addEventListener('click', () => {
  ui.renameInput.value = ui.title.textContent;
  ui.renameForm.hidden = false;
  ui.renameButton.hidden = true;
  ui.renameInput.focus();
  ui.renameInput.select();
});
ui.renameForm.addEventListener('submit', (e) => { e.preventDefault(); renameRoom(); });
ui.renameCancel.addEventListener('click', closeRenameForm);
ui.errorDismiss.addEventListener('click', clearError);
ui.reconnect.addEventListener('click', async () => {
  if (!client) return;
  setBanner('Reconnecting…');
  try {
    await client.connect();
  } catch (e) {
    setBanner('Disconnected.', { final: true });
    showError(e);
  }
});
window.addEventListener('popstate', () => { clearError(); route(); });
document.addEventListener('visibilitychange', () => { if (!document.hidden) client?.wake(); });
window.addEventListener('online', () => client?.wake());
window.addEventListener('pagehide', keepSession);
// Back from the back/forward cache: this page goes on with its own client, nothing to keep.
window.addEventListener('pageshow', (e) => { if (e.persisted) takeKeptSession(); });

ui.name.value = storedName();
route();
