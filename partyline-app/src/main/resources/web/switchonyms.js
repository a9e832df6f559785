/**
 * switchonyms.js — the Switchonyms view of the Partyline web client (mobile first, 390×844).
 *
 * app.js mounts it instead of the chat view when a room's snapshot has `type: 'switchonyms'`:
 *
 *   const view = mountSwitchonyms(root, client, snapshot, { leave });
 *   view.onEvent(event, room);   // every event of that room (after the library's dedup)
 *   view.onState(room);          // a new snapshot: a resync `state` after a resume, or a re-join
 *   view.unmount();
 *
 * The server is the authority (see SwitchonymsRoom): this view only draws the player's `view`
 * (phase, round, category, endsAt, roundSeconds, scores, switches, players, host, word, guessed,
 * winners) and keeps it current from the room's events; it sends `start`, `switch`,
 * `got_it {guesser}` and `next_round`. A snapshot carries everything, the player's own word
 * included, so after a resync the view is simply drawn again from it.
 *
 * The countdown runs on server time: `endsAt` is in server epoch ms, and the offset of the
 * server's clock is taken from each `welcome` (serverTime against Date.now() when it arrives;
 * app.js calls {@link watchServerClock} for each client it makes).
 *
 * All user-provided text (names, and words, which come from the server) goes in through
 * textContent, never innerHTML.
 */

/** Longest name a Switchonyms room accepts (code points). */
export const MAX_NAME = 16;
const ROUNDS = 3;
const MIN_PLAYERS = 2;
const MAX_PLAYERS = 12;
/** The server's switch cooldown; the Switch button rests this long after each switch. */
const SWITCH_COOLDOWN_MS = 1500;
const TOAST_MS = 4000;
const NOTICE_MS = 3500;
const MAX_TOASTS = 2;

const CATEGORY_NAMES = { nouns: 'Nouns', verbs: 'Verbs', adjectives: 'Adjectives' };
const CATEGORY_HINTS = { nouns: 'a thing', verbs: 'something you do', adjectives: 'a describing word' };

/** Short messages for people, by error code. */
const ERROR_TEXT = {
  not_host: 'Only the host can do that.',
  wrong_phase: 'Not now: the game has moved on.',
  too_fast: 'Easy! Wait a moment before switching again.',
  not_enough_players: `You need at least ${MIN_PLAYERS} players online to start.`,
  self_guess: 'Pick the player who said your word, not yourself.',
  unknown_player: 'That player is no longer in the room.',
  out_of_words: 'No words left in this category: keep your word.',
  name_taken: 'Someone in this room already has that name: pick another one.',
  room_full: `This room is full (${MAX_PLAYERS} players).`,
  rate_limited: 'Slow down a little and try again.',
  not_a_member: 'You are no longer in this room.',
  timeout: 'The server did not answer in time. Try again.',
  connection_lost: 'The connection dropped before the server answered. Try again.',
  closed: 'Not connected to the server.',
};

/** What `wrong_phase` means for each message. */
const WRONG_PHASE_TEXT = {
  start: 'The game is already on.',
  next_round: 'The next round has already started.',
  switch: 'The round is over.',
  got_it: 'Too late: the round is over.',
};

/** A short message for an error (a PartylineError or {code, message}) of a message `name`. */
export function errorText(error, name) {
  const code = error?.code;
  if (code === 'wrong_phase' && WRONG_PHASE_TEXT[name]) return WRONG_PHASE_TEXT[name];
  return ERROR_TEXT[code] || error?.message || 'Something went wrong.';
}

// ------------------------------------------------------------------ server clock

/** client → (server time − local time) in ms, from its latest welcome. */
const clockOffsets = new WeakMap();

/** Keeps the offset of the server's clock for `client`, from every welcome it gets. */
export function watchServerClock(client) {
  client.on('open', (welcome) => {
    if (Number.isFinite(welcome?.serverTime)) clockOffsets.set(client, welcome.serverTime - Date.now());
  });
}

function serverNow(client) {
  return Date.now() + (clockOffsets.get(client) ?? 0);
}

// ------------------------------------------------------------------ the landing page

/**
 * Completes the landing page's round length select: `?roundSeconds=N` in the page's URL adds
 * and selects N seconds (quick demos and tests; the server refuses what its
 * --min-round-seconds does not allow).
 */
export function setupRoundLength(select) {
  if (!select) return;
  const asked = Number(new URLSearchParams(location.search).get('roundSeconds'));
  if (!Number.isInteger(asked) || asked < 1 || asked > 300) return;
  if (![...select.options].some((o) => Number(o.value) === asked)) {
    select.add(new Option(`${asked} s`, String(asked)));
  }
  select.value = String(asked);
}

/** The create options of a Switchonyms room, from the landing page's round length select. */
export function hostOptions(select) {
  const seconds = Number(select?.value);
  return Number.isInteger(seconds) && seconds > 0 ? { roundSeconds: seconds } : {};
}

/** Whether `name` fits a Switchonyms room (1 to 16 characters). */
export function fitsName(name) {
  const length = [...String(name ?? '').trim()].length;
  return length >= 1 && length <= MAX_NAME;
}

// ------------------------------------------------------------------ DOM helpers

/**
 * A new element: h('button', {className, testid, text, type, ...attributes}, ...children).
 * `text` is set with textContent; every other prop is an attribute.
 */
function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'className') element.className = value;
    else if (key === 'testid') element.dataset.testid = value;
    else if (key === 'text') element.textContent = value;
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  element.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return element;
}

function badge(text, testid, className) {
  return h('span', { className: `sw-badge ${className}`, testid, text });
}

/** "1:05", "0:09". */
function clock(ms) {
  const seconds = Math.ceil(Math.max(0, ms) / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

function listOfNames(names) {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function copyView(state) {
  const s = state || {};
  return {
    phase: s.phase || 'lobby',
    round: s.round || 0,
    category: s.category ?? null,
    endsAt: s.endsAt ?? null,
    roundSeconds: s.roundSeconds || 60,
    scores: { ...(s.scores || {}) },
    switches: { ...(s.switches || {}) },
    players: (s.players || []).map((p) => ({ id: p.id, name: p.name, online: p.online !== false })),
    host: s.host ?? null,
    word: s.word ?? null,
    guessed: [...(s.guessed || [])],
    winners: [...(s.winners || [])],
  };
}

// ------------------------------------------------------------------ the view

/** The last round's points from a snapshot's view, when a round has just ended; else null. */
function roundFromView(v) {
  return (v.phase === 'between' || v.phase === 'over') && v.roundScores
    ? { round: v.round, points: { ...v.roundScores } }
    : null;
}

/**
 * Draws a Switchonyms room into `root` and keeps it current.
 * @param {HTMLElement} root  an empty element this view owns until unmount
 * @param {import('./partyline.js').Partyline} client
 * @param {import('./partyline.js').RoomSnapshot} snapshot  the room's snapshot (create/join reply)
 * @param {{leave?: () => void}} [helpers]  leave: leaves the room and shows the landing page
 * @returns {{onEvent: Function, onState: Function, unmount: Function}}
 */
export function mountSwitchonyms(root, client, snapshot, helpers = {}) {
  let mounted = true;
  let room = snapshot;
  let you = snapshot.you;
  let view = copyView(snapshot.state);
  /** The points of the last round that ended: {round, points}; the view has them between rounds. */
  let lastRound = roundFromView(view);
  /** Messages waiting for their reply, by name: their buttons stay disabled meanwhile. */
  const pending = new Set();
  let switchRestingUntil = 0;
  let switchTimer = null;
  let noticeTimer = null;
  let picking = false;
  let previousWord = null;
  const toastTimers = new Set();

  const code = snapshot.room;
  const link = `${location.origin}/r/${code}`;

  // ---------------------------------------------------------------- the page

  const ui = {};
  ui.leave = h('button', { type: 'button', className: 'small ghost', testid: 'sw-leave', text: 'Leave' });
  ui.barCode = h('span', { className: 'sw-bar-code', testid: 'sw-bar-code', text: code });
  const bar = h('header', { className: 'sw-bar' },
    h('span', { className: 'sw-brand', text: 'Switchonyms' }), ui.barCode, ui.leave);

  ui.notice = h('p', { className: 'sw-notice', testid: 'sw-notice', role: 'alert', hidden: true });

  // Lobby
  ui.code = h('div', { className: 'sw-code', testid: 'sw-code', text: code, 'aria-label': `Room code ${code.split('').join(' ')}` });
  ui.qr = h('img', { className: 'sw-qr', testid: 'sw-qr', src: `/qr/${code}.svg`, width: 184, height: 184,
    alt: `QR code of the join link ${link}` });
  ui.link = h('span', { className: 'sw-link', testid: 'sw-link', text: link });
  ui.copy = h('button', { type: 'button', className: 'small', testid: 'sw-copy', text: 'Copy link' });
  ui.playerCount = h('span', { className: 'sw-count', testid: 'sw-player-count' });
  ui.players = h('ul', { className: 'sw-players', testid: 'sw-players' });
  ui.rules = h('p', { className: 'sw-rules', testid: 'sw-rules' });
  ui.start = h('button', { type: 'button', className: 'primary sw-big', testid: 'sw-start', text: 'Start the game' });
  ui.startHint = h('p', { className: 'sw-hint', testid: 'sw-start-hint' });
  ui.lobbyWaiting = h('p', { className: 'sw-waiting', testid: 'sw-waiting' });
  ui.lobby = h('section', { className: 'sw-screen sw-lobby', testid: 'sw-lobby' },
    h('div', { className: 'sw-join' },
      h('p', { className: 'sw-label', text: 'Join with the code' }), ui.code,
      ui.qr,
      h('div', { className: 'sw-link-row' }, ui.link, ui.copy)),
    h('h2', { className: 'sw-heading' }, 'Players ', ui.playerCount),
    ui.players, ui.rules, ui.start, ui.startHint, ui.lobbyWaiting);

  // Round
  ui.roundNumber = h('span', { className: 'sw-round-number', testid: 'sw-round-number' });
  ui.category = h('span', { className: 'sw-category', testid: 'sw-category' });
  ui.switch = h('button', { type: 'button', className: 'sw-switch', testid: 'sw-switch', text: '⇄ Switch',
    'aria-label': 'Switch to a new word' });
  ui.countdown = h('div', { className: 'sw-countdown', testid: 'sw-countdown', role: 'timer' });
  ui.progress = h('div', { className: 'sw-progress-bar' });
  ui.wordLabel = h('p', { className: 'sw-card-label', testid: 'sw-word-label' });
  ui.word = h('div', { className: 'sw-word', testid: 'sw-word' });
  ui.mySwitches = h('p', { className: 'sw-card-foot', testid: 'sw-my-switches' });
  ui.card = h('div', { className: 'sw-card' }, ui.wordLabel, ui.word, ui.mySwitches);
  ui.gotIt = h('button', { type: 'button', className: 'primary sw-big sw-gotit', testid: 'sw-gotit', text: 'Got it!' });
  ui.roundScores = h('div', { className: 'sw-slot' });
  ui.round = h('section', { className: 'sw-screen sw-round', testid: 'sw-round' },
    h('div', { className: 'sw-round-top' },
      h('div', { className: 'sw-round-info' }, ui.roundNumber, ui.category), ui.switch),
    h('div', { className: 'sw-timer' }, ui.countdown, h('div', { className: 'sw-progress' }, ui.progress)),
    ui.card, ui.gotIt, ui.roundScores);

  // Between rounds
  ui.betweenTitle = h('h2', { className: 'sw-title', testid: 'sw-between-title' });
  ui.betweenScores = h('div', { className: 'sw-slot' });
  ui.guessed = h('ul', { className: 'sw-guessed', testid: 'sw-guessed' });
  ui.nextRound = h('button', { type: 'button', className: 'primary sw-big', testid: 'sw-next-round' });
  ui.betweenWaiting = h('p', { className: 'sw-waiting', testid: 'sw-between-waiting' });
  ui.between = h('section', { className: 'sw-screen sw-between', testid: 'sw-between' },
    ui.betweenTitle, ui.betweenScores,
    h('h3', { className: 'sw-heading', text: 'Words guessed this round' }), ui.guessed,
    ui.nextRound, ui.betweenWaiting);

  // Final
  ui.winners = h('p', { className: 'sw-winners', testid: 'sw-winners' });
  ui.finalScores = h('div', { className: 'sw-slot' });
  ui.finalGuessed = h('ul', { className: 'sw-guessed', testid: 'sw-final-guessed' });
  ui.newGame = h('button', { type: 'button', className: 'primary sw-big', testid: 'sw-new-game', text: 'New game' });
  ui.finalWaiting = h('p', { className: 'sw-waiting', testid: 'sw-final-waiting' });
  ui.final = h('section', { className: 'sw-screen sw-final', testid: 'sw-final' },
    h('h2', { className: 'sw-title', text: 'Game over' }), ui.winners, ui.finalScores,
    h('h3', { className: 'sw-heading', text: "Last round's words" }), ui.finalGuessed,
    ui.newGame, ui.finalWaiting);

  // One scoreboard, moved to the slot of the screen on show.
  ui.scores = h('ol', { className: 'sw-scores', testid: 'sw-scores', 'aria-label': 'Scores' });

  ui.toasts = h('div', { className: 'sw-toasts', testid: 'sw-toasts', 'aria-live': 'polite' });

  // The guesser pick
  ui.pickTitle = h('h2', { className: 'sw-pick-title', testid: 'sw-picker-title', id: 'sw-picker-title' });
  ui.pickList = h('div', { className: 'sw-pick-list' });
  ui.pickCancel = h('button', { type: 'button', className: 'ghost', testid: 'sw-picker-cancel', text: 'Cancel' });
  ui.picker = h('div', { className: 'sw-picker', testid: 'sw-picker', role: 'dialog', 'aria-modal': 'true',
    'aria-labelledby': 'sw-picker-title', hidden: true },
  h('div', { className: 'sw-pick-card' }, ui.pickTitle, ui.pickList, ui.pickCancel));

  ui.main = h('section', { className: 'sw', testid: 'switchonyms' },
    bar, ui.notice, ui.lobby, ui.round, ui.between, ui.final, ui.toasts, ui.picker);
  root.replaceChildren(ui.main);
  document.body.classList.add('in-game');

  // ---------------------------------------------------------------- model helpers

  const player = (id) => view.players.find((p) => p.id === id);
  const nameOf = (id) => player(id)?.name || room.members?.find((m) => m.id === id)?.name || 'Someone';
  const isHost = () => view.host === you;
  const hostName = () => (view.host ? nameOf(view.host) : 'the host');
  const onlineCount = () => view.players.filter((p) => p.online).length;

  function upsertPlayer(id, name, online) {
    const known = player(id);
    if (known) {
      known.online = online;
      if (name) known.name = name;
    } else if (id) {
      view.players.push({ id, name: name || 'Someone', online });
    }
  }

  // ---------------------------------------------------------------- drawing

  function render() {
    const phase = view.phase;
    ui.main.dataset.phase = phase;
    ui.lobby.hidden = phase !== 'lobby';
    ui.round.hidden = phase !== 'round';
    ui.between.hidden = phase !== 'between';
    ui.final.hidden = phase !== 'over';
    document.title = `Switchonyms · ${code} · Partyline`;
    if (phase !== 'round') closePicker();
    // During a round the toasts sit at the top of the word card, clear of Switch and Got it.
    const toastHome = phase === 'round' ? ui.card : ui.main;
    if (ui.toasts.parentElement !== toastHome) toastHome.append(ui.toasts);
    if (phase === 'lobby') renderLobby();
    else if (phase === 'round') renderRound();
    else if (phase === 'between') renderBetween();
    else renderFinal();
    if (picking) renderPicker();
  }

  function renderLobby() {
    ui.playerCount.textContent = `(${view.players.length}/${MAX_PLAYERS})`;
    ui.players.replaceChildren(...view.players.map((p) => {
      const li = h('li', { className: 'sw-player' + (p.online ? '' : ' away') + (p.id === you ? ' me' : '') });
      li.dataset.testid = 'sw-player';
      li.dataset.id = p.id;
      li.dataset.online = String(p.online);
      li.dataset.host = String(p.id === view.host);
      li.append(h('span', { className: 'sw-presence' }), h('span', { className: 'sw-name', text: p.name }));
      if (p.id === you) li.append(badge('you', 'sw-you-marker', 'you'));
      if (p.id === view.host) li.append(badge('host', 'sw-host-marker', 'host'));
      if (!p.online) li.append(badge('away', 'sw-away-marker', 'away'));
      return li;
    }));
    ui.rules.textContent = `3 rounds of ${view.roundSeconds} s: nouns, then verbs, then adjectives.`;
    const host = isHost();
    const enough = onlineCount() >= MIN_PLAYERS;
    ui.start.hidden = !host;
    ui.start.disabled = !enough || pending.has('start');
    ui.startHint.hidden = !host || enough;
    ui.startHint.textContent = `Waiting for players: at least ${MIN_PLAYERS} need to be here to start.`;
    ui.lobbyWaiting.hidden = host;
    ui.lobbyWaiting.textContent = `Waiting for the host (${hostName()}) to start the game…`;
  }

  function renderRound() {
    ui.roundNumber.textContent = `Round ${view.round} of ${ROUNDS}`;
    ui.category.textContent = CATEGORY_NAMES[view.category] || view.category || '';
    ui.category.dataset.category = view.category || '';
    // undefined: the round just started and this player's `word` event is on its way;
    // null: the server had no word left to deal.
    const word = view.word;
    ui.word.textContent = word === undefined ? '…' : word === null ? 'No words left' : word;
    ui.word.classList.toggle('none', !word);
    ui.word.style.setProperty('--len', String(Math.max(5, [...(word || '…')].length)));
    if (word && word !== previousWord) {
      ui.card.classList.remove('fresh');
      void ui.card.offsetWidth;              // restart the animation
      ui.card.classList.add('fresh');
    }
    previousWord = word;
    ui.wordLabel.textContent = `Your word (${CATEGORY_HINTS[view.category] || 'secret'}): clue it, don't say it`;
    const switches = view.switches[you] ?? 0;
    ui.mySwitches.textContent = switches ? `You switched ${switches}× this game` : 'Stuck? Switch for a new word.';
    ui.gotIt.disabled = !word || pending.has('got_it');
    renderSwitch();
    tick();
    placeScores(ui.roundScores, { compact: true });
  }

  function renderSwitch() {
    const resting = Date.now() < switchRestingUntil;
    ui.switch.disabled = resting || pending.has('switch') || view.phase !== 'round';
    ui.switch.dataset.cooldown = String(resting);
  }

  function renderBetween() {
    ui.betweenTitle.textContent = `Round ${view.round} of ${ROUNDS} is over: ${CATEGORY_NAMES[view.category] || ''}`;
    placeScores(ui.betweenScores, { deltas: true });
    renderGuessed(ui.guessed);
    const host = isHost();
    const next = Math.min(view.round + 1, ROUNDS);
    ui.nextRound.hidden = !host;
    ui.nextRound.textContent = `Next round: ${CATEGORY_NAMES[['nouns', 'verbs', 'adjectives'][next - 1]]}`;
    ui.nextRound.disabled = pending.has('next_round');
    ui.betweenWaiting.hidden = host;
    ui.betweenWaiting.textContent = `Waiting for the host (${hostName()}) to start round ${next}…`;
  }

  function renderFinal() {
    const winners = view.winners.filter((id) => player(id) || view.scores[id] !== undefined);
    if (!winners.length) {
      ui.winners.textContent = 'Nobody scored this time.';
    } else {
      // Names, not "You": every phone shows the same words (the scoreboard marks your own row).
      const names = winners.map((id) => nameOf(id));
      ui.winners.textContent = `★ ${listOfNames(names)} ${names.length === 1 ? 'wins' : 'win'}!`;
    }
    ui.winners.dataset.winners = winners.join(',');
    placeScores(ui.finalScores, { deltas: true, final: true });
    renderGuessed(ui.finalGuessed);
    const host = isHost();
    const enough = onlineCount() >= MIN_PLAYERS;
    ui.newGame.hidden = !host;
    ui.newGame.disabled = !enough || pending.has('start');
    ui.finalWaiting.hidden = host && enough;
    ui.finalWaiting.textContent = host
      ? `A new game needs at least ${MIN_PLAYERS} players online.`
      : `Waiting for the host (${hostName()}) to start a new game…`;
  }

  function renderGuessed(list) {
    list.replaceChildren(...(view.guessed.length
      ? view.guessed.map((word) => h('li', { className: 'sw-guessed-word', testid: 'sw-guessed-word', text: word }))
      : [h('li', { className: 'sw-empty', text: 'No words were guessed.' })]));
  }

  /** Draws the scoreboard into `slot`: best first, then in join order. */
  function placeScores(slot, { compact = false, deltas = false, final = false } = {}) {
    const order = new Map(view.players.map((p, i) => [p.id, i]));
    const ids = view.players.map((p) => p.id);
    for (const id of Object.keys(view.scores)) if (!order.has(id)) { order.set(id, ids.length); ids.push(id); }
    ids.sort((a, b) => (view.scores[b] ?? 0) - (view.scores[a] ?? 0) || order.get(a) - order.get(b));
    const points = deltas && lastRound && lastRound.round === view.round ? lastRound.points : null;
    const winners = new Set(final ? view.winners : []);
    let rank = 0;
    let previous = null;
    const rows = ids.map((id, i) => {
      const score = view.scores[id] ?? 0;
      if (score !== previous) { rank = i + 1; previous = score; }
      const p = player(id);
      const li = h('li', { className: 'sw-score' + (id === you ? ' me' : '') + (winners.has(id) ? ' winner' : '')
        + (p && !p.online ? ' away' : '') });
      li.dataset.testid = 'sw-score-row';
      li.dataset.id = id;
      li.dataset.winner = String(winners.has(id));
      li.append(h('span', { className: 'sw-rank', text: winners.has(id) ? '★' : String(rank) }),
        h('span', { className: 'sw-name', testid: 'sw-score-name', text: nameOf(id) }));
      if (id === you && !compact) li.append(badge('you', null, 'you'));
      if (p && !p.online) li.append(badge('away', 'sw-away-marker', 'away'));
      const switched = view.switches[id] ?? 0;
      if (!compact) li.append(h('span', { className: 'sw-switched', title: 'switches', text: `⇄${switched}` }));
      if (points && points[id] !== undefined) {
        li.append(h('span', { className: 'sw-delta', testid: 'sw-delta', text: `+${points[id]}` }));
      }
      li.append(h('span', { className: 'sw-points', testid: 'sw-points', text: String(score) }));
      return li;
    });
    ui.scores.replaceChildren(...rows);
    ui.scores.classList.toggle('compact', compact);
    if (ui.scores.parentElement !== slot) slot.append(ui.scores);
  }

  // ---------------------------------------------------------------- countdown

  function tick() {
    if (view.phase !== 'round' || !view.endsAt) return;
    const left = Math.max(0, view.endsAt - serverNow(client));
    const total = Math.max(1, view.roundSeconds * 1000);
    ui.countdown.textContent = left > 0 ? clock(left) : 'Time!';
    ui.countdown.classList.toggle('urgent', left <= 10_000);
    ui.progress.style.width = `${Math.min(100, (left / total) * 100)}%`;
  }
  const ticker = setInterval(tick, 200);

  // ---------------------------------------------------------------- the guesser pick

  function openPicker() {
    if (view.phase !== 'round' || !view.word) return;
    picking = true;
    renderPicker();
    ui.picker.hidden = false;
    ui.pickList.querySelector('button')?.focus();
  }

  function closePicker() {
    picking = false;
    ui.picker.hidden = true;
  }

  function renderPicker() {
    ui.pickTitle.textContent = `Who said “${view.word ?? ''}”?`;
    const others = view.players.filter((p) => p.id !== you);
    ui.pickList.replaceChildren(...(others.length ? others.map((p) => {
      const button = h('button', { type: 'button', className: 'sw-guesser' + (p.online ? '' : ' away'), testid: 'sw-guesser' },
        h('span', { className: 'sw-name', text: p.name }));
      if (!p.online) button.append(badge('away', null, 'away'));
      button.dataset.id = p.id;
      button.addEventListener('click', () => pick(p.id));
      return button;
    }) : [h('p', { className: 'sw-empty', text: 'Nobody else is in the room.' })]));
  }

  function pick(guesser) {
    closePicker();
    act('got_it', { guesser });
  }

  // ---------------------------------------------------------------- messages and feedback

  /** Sends a message to the room; its button rests until the reply. */
  async function act(name, data) {
    if (pending.has(name)) return;
    pending.add(name);
    hideNotice();
    render();
    try {
      await client.send(code, name, data);
      if (name === 'switch') rest(SWITCH_COOLDOWN_MS);
    } catch (error) {
      if (error?.code === 'too_fast') rest(SWITCH_COOLDOWN_MS);
      showNotice(errorText(error, name), error?.code);
    } finally {
      pending.delete(name);
      if (mounted) render();
    }
  }

  function rest(ms) {
    switchRestingUntil = Date.now() + ms;
    clearTimeout(switchTimer);
    switchTimer = setTimeout(() => { if (mounted) renderSwitch(); }, ms + 20);
  }

  function showNotice(text, code) {
    ui.notice.textContent = text;
    ui.notice.dataset.code = code || 'error';
    ui.notice.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(hideNotice, NOTICE_MS);
  }

  function hideNotice() {
    clearTimeout(noticeTimer);
    ui.notice.hidden = true;
    ui.notice.textContent = '';
    delete ui.notice.dataset.code;
  }

  function clearToasts() {
    toastTimers.forEach(clearTimeout);
    toastTimers.clear();
    ui.toasts.replaceChildren();
  }

  /** Presence news ("Carl is away"): not in the lobby, whose player list says it already. */
  function presenceToast(text) {
    if (view.phase !== 'lobby') toast(text);
  }

  function toast(text, kind = 'info') {
    const item = h('div', { className: `sw-toast ${kind}`, testid: 'sw-toast', text });
    ui.toasts.append(item);
    while (ui.toasts.children.length > MAX_TOASTS) ui.toasts.firstElementChild.remove();
    const timer = setTimeout(() => { toastTimers.delete(timer); item.remove(); }, TOAST_MS);
    toastTimers.add(timer);
  }

  function scoredText(giver, guesser, word) {
    if (giver === you) return `${nameOf(guesser)} guessed your word: ${word}`;
    if (guesser === you) return `You guessed ${nameOf(giver)}'s word: ${word}`;
    return `${nameOf(guesser)} guessed ${nameOf(giver)}'s word: ${word}`;
  }

  async function copyLink() {
    let copied = false;
    try {
      await navigator.clipboard.writeText(link);
      copied = true;
    } catch (_) {
      // No clipboard API (plain http on a LAN address): copy from a selected field.
      const field = h('input', { value: link, 'aria-hidden': 'true' });
      document.body.append(field);
      field.select();
      try { copied = document.execCommand('copy'); } catch (__) { copied = false; }
      field.remove();
    }
    ui.copy.textContent = copied ? 'Copied!' : 'Copy failed';
    setTimeout(() => { if (mounted) ui.copy.textContent = 'Copy link'; }, 2000);
  }

  ui.leave.addEventListener('click', () => helpers.leave?.());
  ui.copy.addEventListener('click', copyLink);
  ui.start.addEventListener('click', () => act('start'));
  ui.newGame.addEventListener('click', () => act('start'));
  ui.nextRound.addEventListener('click', () => act('next_round'));
  ui.switch.addEventListener('click', () => act('switch'));
  ui.gotIt.addEventListener('click', openPicker);
  ui.pickCancel.addEventListener('click', closePicker);
  ui.picker.addEventListener('click', (e) => { if (e.target === ui.picker) closePicker(); });
  const onKey = (e) => { if (e.key === 'Escape' && picking) closePicker(); };
  document.addEventListener('keydown', onKey);

  // ---------------------------------------------------------------- events and snapshots

  function onEvent(event, current) {
    if (current) room = current;
    const d = event.data || {};
    switch (event.name) {
      case 'joined':
        upsertPlayer(d.id, d.name, true);
        view.scores[d.id] ??= 0;
        view.switches[d.id] ??= 0;
        if (d.id !== you) presenceToast(`${d.name || 'Someone'} joined.`);
        break;
      case 'left':
        if (d.id !== you) presenceToast(`${nameOf(d.id)} left.`);
        view.players = view.players.filter((p) => p.id !== d.id);
        delete view.scores[d.id];
        delete view.switches[d.id];
        break;
      case 'away':
        upsertPlayer(d.id, d.name, false);
        if (d.id !== you) presenceToast(`${nameOf(d.id)} is away.`);
        break;
      case 'back':
        upsertPlayer(d.id, d.name, true);
        if (d.id !== you) presenceToast(`${nameOf(d.id)} is back.`);
        break;
      case 'host':
        view.host = d.id;
        toast(d.id === you ? 'You are the host now.' : `${nameOf(d.id)} is the host now.`);
        break;
      case 'round_started':
        if (d.round === 1) {             // a new game: the server starts everyone from zero
          for (const id of Object.keys(view.scores)) view.scores[id] = 0;
          for (const id of Object.keys(view.switches)) view.switches[id] = 0;
          view.winners = [];
        }
        view.phase = 'round';
        view.round = d.round;
        view.category = d.category;
        view.endsAt = d.endsAt;
        if (Number.isFinite(d.durationMs)) view.roundSeconds = Math.round(d.durationMs / 1000);
        view.guessed = [];
        view.word = undefined;           // the player's own `word` event follows
        switchRestingUntil = 0;
        break;
      case 'word':
        if (view.phase === 'round') view.word = d.word ?? null;
        break;
      case 'switched':
        view.switches[d.player] = d.switches;
        break;
      case 'scored':
        if (d.scores) view.scores = { ...d.scores };
        if (d.word) view.guessed.push(d.word);
        toast(scoredText(d.giver, d.guesser, d.word), d.giver === you || d.guesser === you ? 'mine' : 'info');
        break;
      case 'round_ended':
        clearToasts();                   // the round's news is on the scoreboard now
        view.phase = d.round >= ROUNDS ? 'over' : 'between';
        view.round = d.round;
        if (d.scores) view.scores = { ...d.scores };
        if (Array.isArray(d.guessed)) view.guessed = [...d.guessed];
        view.word = null;
        view.endsAt = null;
        lastRound = d.roundScores ? { round: d.round, points: { ...d.roundScores } } : null;
        break;
      case 'game_over':
        view.phase = 'over';
        if (d.scores) view.scores = { ...d.scores };
        view.winners = Array.isArray(d.winners) ? [...d.winners] : [];
        break;
      default:
        return;
    }
    render();
  }

  /** A new snapshot of the room (a resync after a resume, or a re-join): draw it again. */
  function onState(current) {
    room = current;
    you = current.you ?? you;
    view = copyView(current.state);
    lastRound = roundFromView(view) ?? (lastRound && lastRound.round === view.round ? lastRound : null);
    render();
  }

  function unmount() {
    mounted = false;
    clearInterval(ticker);
    clearTimeout(switchTimer);
    clearTimeout(noticeTimer);
    clearToasts();
    document.removeEventListener('keydown', onKey);
    document.body.classList.remove('in-game');
    root.replaceChildren();
  }

  render();
  return { onEvent, onState, unmount };
}
