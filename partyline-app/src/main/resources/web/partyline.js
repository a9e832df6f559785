/**
 * partyline.js — the browser client library for Partyline (protocol v1).
 *
 * An ES module with no dependencies and no build step:
 *
 *   import { connect } from '/partyline.js';
 *   const pl = await connect({ name: 'Ann' });
 *   pl.on('event', (event, room) => console.log(room.room, event.name, event.data));
 *   pl.on('state', (room) => redraw(room));
 *   const room = await pl.create('chat', { title: 'Friday night' });
 *   await pl.send(room.room, 'message', { text: 'hi' });
 *
 * What it does for you: gets a ticket (POST /api/tickets), opens the WebSocket, waits for
 * `welcome`, matches replies to requests (with timeouts), tracks each room's epoch/seq and
 * drops duplicate events, keeps the member list of each room up to date from the presence
 * events, and reconnects on its own with jittered exponential backoff.
 *
 * Resume (nothing lost): after a dropped socket the client reconnects to `/ws` and sends
 * `{t: 'auth', resume: TOKEN, rooms: {CODE: {epoch, seq}}}` with the latest (rotated) token and
 * its position in every room. The server then sends, per room, the events missed since that
 * position (applied through the normal path: dedup by seq, gaps are normal), or a `state` with
 * `resync: true` that replaces the room (surfaced as 'state'); a room the session is no longer
 * in gets an `error` `room_closed` or `not_a_member` (surfaced as 'roomlost'). Requests that had no reply yet are sent again with the SAME ids:
 * the server answers a repeated id of the session from memory instead of running it twice, so
 * their promises simply settle later. Only when the server refuses the token (close 4001: grace
 * over, node restarted) does the client take a fresh ticket at once and re-join every room;
 * requests that were sent on the lost session then fail with `connection_lost`, since nobody
 * knows whether they ran. A request's timeout only runs while it is on a connected socket:
 * while the client reconnects, requests wait for the connection.
 *
 * State you can read: `status` ('idle' | 'connecting' | 'open' | 'reconnecting' | 'closed'),
 * `isConnected`, `player` ({id, name} from welcome), `welcome`, `rooms` (Map code → RoomSnapshot,
 * members kept current) and `room(code)`.
 *
 * Listener types (see {@link Partyline#on}):
 *   'open'         (welcome)               after every successful auth
 *   'event'        (event, room)           a room event, after dedup; also 'event:NAME'
 *   'state'        (room, {resync})        a full snapshot (create, join, state frame, re-join);
 *                                          resync: the server replaced the room after a resume
 *   'error'        (error)                 an `error` frame: {code, message}
 *   'close'        ({code, reason, willReconnect})
 *   'reconnecting' ({attempt, delayMs, code, reason})
 *   'reconnected'  ({resumed, welcome})
 *   'roomlost'     ({room, error})         a room is gone: it closed while this client was away
 *                                          (error.code 'room_closed'), the seat is gone
 *                                          ('not_a_member'), or it could not be re-joined
 *   'transfer'     ({url, code})           the server moves this client to another node
 *
 * @module partyline
 */

/** Close codes after which the client does not reconnect on its own. */
const FINAL_CLOSE_CODES = new Set([1000, 1008, 1009, 4004]);
const UNAUTHORIZED = 4001;
const SESSION_REPLACED = 4004;
const TRANSFERRED = 4005;

/**
 * An Error with a machine-readable `code` (a protocol error code such as `room_not_found`,
 * or one of the library's own: `timeout`, `closed`, `connection_lost`, `network_error`).
 */
export class PartylineError extends Error {
  /** @param {string} code @param {string} message @param {object} [extra] */
  constructor(code, message, extra) {
    super(message || code);
    this.name = 'PartylineError';
    this.code = code;
    Object.assign(this, extra);
  }
}

/**
 * @typedef {object} Member
 * @property {string} id
 * @property {string} name
 * @property {boolean} online  false while the member's socket is away
 * @property {boolean} host
 *
 * @typedef {object} RoomSnapshot
 * @property {string} room     the join code
 * @property {string} type     room type, e.g. 'chat'
 * @property {string} epoch    random per room incarnation
 * @property {number} seq      last event seq applied
 * @property {Member[]} members
 * @property {*} state         this player's view of the room type's state
 * @property {string} you      this player's id
 *
 * @typedef {object} RoomEvent
 * @property {string} room
 * @property {number} seq
 * @property {string} name
 * @property {?string} from    player id, or null for the server
 * @property {*} data
 */

/**
 * Creates a client, connects it and resolves once the server said `welcome`.
 * @param {ConstructorParameters<typeof Partyline>[0]} options
 * @returns {Promise<Partyline>}
 */
export async function connect(options) {
  const client = new Partyline(options);
  await client.connect();
  return client;
}

export class Partyline {
  /**
   * @param {object} options
   * @param {string} options.name               display name sent with the ticket request
   * @param {string} [options.url]              server base URL (http[s]://host[:port]); default: this page's origin
   * @param {number} [options.requestTimeoutMs=10000]
   * @param {number} [options.backoffBaseMs=500]
   * @param {number} [options.backoffMaxMs=15000]
   * @param {boolean} [options.resume=true]     try to resume the session before taking a fresh ticket
   * @param {{resumeToken: string, nextId: number}} [options.session]  a session to resume on the
   *        first connect, as {@link Partyline#sessionState} returned it (a page reload of the same tab);
   *        when the server refuses it, the client takes a fresh ticket instead
   * @param {typeof WebSocket} [options.WebSocket] WebSocket constructor (for tests)
   * @param {typeof fetch} [options.fetch]      fetch function (for tests)
   */
  constructor(options) {
    if (!options || typeof options.name !== 'string') throw new TypeError('Partyline: options.name is required');
    this.name = options.name;
    const base = options.url || (typeof location !== 'undefined' ? location.origin : '');
    this.httpBase = base.replace(/\/+$/, '').replace(/^ws(s?):/, 'http$1:');
    this.wsBase = this.httpBase.replace(/^http(s?):/, 'ws$1:');
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10000;
    this.backoffBaseMs = options.backoffBaseMs ?? 500;
    this.backoffMaxMs = options.backoffMaxMs ?? 15000;
    this.useResume = options.resume !== false;
    this.WS = options.WebSocket || globalThis.WebSocket;
    this.fetch = options.fetch || globalThis.fetch.bind(globalThis);

    /** @type {?object} the last `welcome` frame */ this.welcome = null;
    /** @type {?{id: string, name: string}} */ this.player = null;
    /** @type {Map<string, RoomSnapshot>} rooms this client is in, by code */ this.rooms = new Map();

    this.listeners = new Map();
    this.pending = new Map();      // id -> {frame, resolve, reject, timeoutMs, timer, sent}
    this.nextId = 1;
    this.early = new Map();        // room -> events that arrived before the room's snapshot
    this.ws = null;
    /** @type {'idle'|'connecting'|'open'|'reconnecting'|'closed'} */
    this.status = 'idle';
    this.everConnected = false;
    this.generation = 0;           // bumped per welcome and per close(): stale async work checks it
    this.attempt = 0;              // reconnect attempts since the last welcome (backoff exponent)
    this.authFailures = 0;         // 4001 closes with fresh tickets in a row
    this.authMode = null;          // how the current socket authenticates: 'ticket' | 'resume' | 'transfer'
    this.rejoining = false;        // new requests wait while rooms are re-joined
    this.reconnectTimer = null;
    this.heartbeatTimer = null;
    this.lastReceived = 0;
    this.resumeToken = null;
    this.transfer = null;
    const session = options.session;
    if (this.useResume && session && typeof session.resumeToken === 'string' && session.resumeToken) {
      this.resumeToken = session.resumeToken;
      // The server remembers the session's recent replies by id: new requests must not reuse
      // an id the previous page used, or they would be answered with that page's reply.
      if (Number.isSafeInteger(session.nextId) && session.nextId > 0) this.nextId = session.nextId;
    }
    this.opening = null;           // {promise, resolve, reject} of the connect() in progress
  }

  // ---------------------------------------------------------------- listeners

  /**
   * Adds a listener; returns a function that removes it.
   * @param {string} type  'open' | 'event' | 'event:NAME' | 'state' | 'error' | 'close' |
   *                       'reconnecting' | 'reconnected' | 'roomlost' | 'transfer'
   * @param {Function} fn
   * @returns {() => void}
   */
  on(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(fn);
    return () => this.off(type, fn);
  }

  /** Removes a listener added with {@link Partyline#on}. */
  off(type, fn) {
    this.listeners.get(type)?.delete(fn);
  }

  /** @private Calls every listener of `type`; a throwing listener never breaks the client. */
  emit(type, ...args) {
    for (const fn of [...(this.listeners.get(type) || [])]) {
      try { fn(...args); } catch (e) { console.error('partyline listener for', type, 'failed:', e); }
    }
  }

  // ---------------------------------------------------------------- connection

  /**
   * Gets a ticket and connects. Resolves with the `welcome` frame. The first connect rejects
   * (with a {@link PartylineError}) when it fails; after that, drops reconnect on their own.
   * Calling it again after a final close reconnects and re-joins the rooms.
   * @returns {Promise<object>}
   */
  connect() {
    if (this.status === 'open') return Promise.resolve(this.welcome);
    if (this.opening) return this.opening.promise;
    const opening = {};
    opening.promise = new Promise((resolve, reject) => { opening.resolve = resolve; opening.reject = reject; });
    this.opening = opening;
    if (this.status === 'reconnecting') {
      this.wake();
    } else {
      this.status = 'connecting';
      this.attempt = 0;
      this.authFailures = 0;
      this.openSocket();
    }
    return opening.promise;
  }

  /** Closes for good (code 1000): no reconnect, pending requests reject with `closed`. */
  close() {
    this.generation++;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    if (this.status === 'closed' || this.status === 'idle') return;
    this.userClosed = true;
    if (this.ws) this.dropSocket(1000, 'client closed');
    else this.onSocketGone(1000, 'client closed');
    this.userClosed = false;
  }

  /** Whether the socket is open and authenticated. */
  get isConnected() {
    return this.status === 'open';
  }

  /**
   * What a new Partyline needs to resume this session (option `session`): the latest resume
   * token and the next request id; null when there is nothing to resume. The token is a
   * secret: keep it in this tab only (sessionStorage), never in a URL or in localStorage.
   * @returns {?{resumeToken: string, nextId: number}}
   */
  sessionState() {
    if (!this.resumeToken || this.status === 'closed' || this.status === 'idle') return null;
    return { resumeToken: this.resumeToken, nextId: this.nextId };
  }

  /**
   * Call when the page becomes visible or the network comes back: reconnects now instead of
   * waiting out the backoff, or checks a connection that may have died while asleep.
   */
  wake() {
    if (this.reconnectTimer) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
      this.openSocket();
    } else if (this.status === 'open') {
      this.checkAlive();
    }
  }

  /**
   * @private Fetches a single-use ticket: {ticket, expiresInMs, player}. Gives up after
   * requestTimeoutMs (as `network_error`, so a reconnect tries again): a request on a
   * half-open connection would otherwise never settle and the client would never retry.
   */
  async fetchTicket() {
    const abort = typeof AbortController === 'function' ? new AbortController() : null;
    let timedOut = false;
    const timer = abort && setTimeout(() => { timedOut = true; abort.abort(); }, this.requestTimeoutMs);
    const noAnswer = (cause) => new PartylineError('network_error', timedOut
      ? `The server did not answer the ticket request within ${Math.round(this.requestTimeoutMs / 1000)} s.`
      : 'Cannot reach the server.', { cause });
    try {
      let response;
      try {
        response = await this.fetch(this.httpBase + '/api/tickets', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ name: this.name }),
          signal: abort?.signal,
        });
      } catch (e) {
        throw noAnswer(e);
      }
      let body = null;
      try { body = await response.json(); } catch (_) { /* not JSON, or timed out */ }
      if (timedOut) throw noAnswer();
      if (!response.ok || !body || !body.ticket) {
        const error = body && body.error;
        throw new PartylineError(error?.code || (response.status === 429 ? 'rate_limited' : 'ticket_failed'),
          error?.message || `The server refused a ticket (HTTP ${response.status}).`, { status: response.status });
      }
      return body;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * @private Opens one socket: with a transfer receipt, a resume token, or a fresh ticket.
   * Never throws: every failure ends in onSocketGone.
   */
  async openSocket() {
    const generation = this.generation;
    let url = this.wsBase + '/ws';
    let auth = null;               // builds the auth frame when the socket opens
    let mode = 'ticket';
    if (this.transfer) {
      mode = 'transfer';
      url = this.transfer.url.replace(/^http(s?):/, 'ws$1:');
      const ticket = this.transfer.code;
      auth = () => ({ t: 'auth', ticket });
      this.transfer = null;
    } else if (this.useResume && this.resumeToken) {
      mode = 'resume';
      const token = this.resumeToken;
      auth = () => ({ t: 'auth', resume: token, rooms: this.positions() });
    } else {
      try {
        const { ticket } = await this.fetchTicket();
        url += '?ticket=' + encodeURIComponent(ticket);
      } catch (e) {
        if (generation === this.generation) this.onSocketGone(1006, e.message, e);
        return;
      }
      if (generation !== this.generation) return;      // closed meanwhile
    }
    this.authMode = mode;
    let ws;
    try {
      ws = new this.WS(url);
    } catch (e) {
      this.onSocketGone(1006, e.message, e);
      return;
    }
    this.ws = ws;
    const welcomeTimer = setTimeout(() => {
      if (this.ws === ws && this.status !== 'open') this.dropSocket(1006, 'no welcome in time');
    }, this.requestTimeoutMs);
    ws.onopen = () => { if (auth && this.ws === ws) ws.send(JSON.stringify(auth())); };
    ws.onmessage = (e) => { if (this.ws === ws) this.onFrame(e.data); };
    ws.onerror = () => { /* a close event follows */ };
    ws.onclose = (e) => {
      clearTimeout(welcomeTimer);
      if (this.ws === ws) this.onSocketGone(e.code, e.reason);
    };
  }

  /** @private Detaches the current socket and handles it as closed with `code` right away. */
  dropSocket(code, reason) {
    const ws = this.ws;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      try { ws.close(code === 1000 ? 1000 : 4000, reason); } catch (_) { /* already closing */ }
    }
    this.onSocketGone(code, reason);
  }

  /**
   * @private Everything that happens when a socket is gone (or could not be opened):
   * decide whether to reconnect, and tell the listeners.
   */
  onSocketGone(code, reason, cause) {
    const wasOpen = this.status === 'open';
    const mode = this.authMode;
    this.authMode = null;
    this.ws = null;
    this.rejoining = false;
    clearInterval(this.heartbeatTimer);
    if (this.status === 'open') this.status = 'reconnecting';
    // Timeouts measure how long the server takes to answer: they stop while there is no socket,
    // and start again when the request is sent again.
    for (const p of this.pending.values()) { clearTimeout(p.timer); p.timer = null; }

    // Only the server's refusal ends the session. A resume that failed for any other reason
    // (no network yet, the server unreachable or slow) is tried again with the same token:
    // taking a ticket then would start a new session and lose what the old one was owed.
    const resumeRefused = !wasOpen && mode === 'resume' && code === UNAUTHORIZED;
    if (code === SESSION_REPLACED || code === UNAUTHORIZED) this.resumeToken = null;  // a fresh ticket next time
    if (code === UNAUTHORIZED && !wasOpen && mode === 'ticket') this.authFailures++;
    let retry = !this.userClosed && !FINAL_CLOSE_CODES.has(code) && this.authFailures < 3
      && (code !== TRANSFERRED || this.transfer !== null)
      && (!cause || !(cause instanceof PartylineError) || cause.code === 'network_error'
        || cause.status === 429 || cause.status >= 500);

    // The first connect fails fast instead of retrying behind its caller's back; but a refused
    // resume (a session from a previous page) just goes on with a fresh ticket.
    if (this.opening && (!retry || (!this.everConnected && !resumeRefused))) {
      const opening = this.opening;
      this.opening = null;
      retry = false;
      opening.reject(cause instanceof PartylineError ? cause
        : new PartylineError(code === UNAUTHORIZED ? 'unauthorized' : 'connection_failed',
          reason || `Could not connect (close code ${code}).`, { closeCode: code }));
    }
    if (!retry) {
      this.status = 'closed';
      this.failPending('closed', reason || 'The connection is closed.');
      this.emit('close', { code, reason, willReconnect: false });
      return;
    }
    if (wasOpen) this.emit('close', { code, reason, willReconnect: true });
    const delayMs = code === TRANSFERRED || resumeRefused ? 0 : this.backoff();
    if (this.everConnected) {
      this.status = 'reconnecting';
      this.emit('reconnecting', { attempt: this.attempt, delayMs, code, reason });
    }                              // else: the first connect() goes on with a fresh ticket
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => { this.reconnectTimer = null; this.openSocket(); }, delayMs);
  }

  /**
   * @private Where this client is in each room, for a resume: {CODE: {epoch, seq}}, seq being
   * the last event applied. The server replays what came after, or resyncs the room.
   */
  positions() {
    const rooms = {};
    for (const [code, r] of this.rooms) {
      if (typeof r.epoch === 'string' && Number.isSafeInteger(r.seq) && r.seq >= 0) rooms[code] = { epoch: r.epoch, seq: r.seq };
    }
    return rooms;
  }

  /** @private Jittered exponential backoff: a random delay in [half, full] of base·2^attempt. */
  backoff() {
    const full = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** this.attempt);
    this.attempt++;
    return Math.round(full / 2 + Math.random() * full / 2);
  }

  /** @private Pings; a ping that times out drops the socket, which then reconnects. */
  checkAlive() {
    const ws = this.ws;
    const interval = this.welcome?.heartbeatMs || 20000;
    this.request({ t: 'ping' }, Math.min(this.requestTimeoutMs, interval), true).catch((e) => {
      if (e.code === 'timeout' && this.ws === ws && this.status === 'open') this.dropSocket(1006, 'heartbeat timeout');
    });
  }

  // ---------------------------------------------------------------- frames

  /** @private Dispatches one text frame from the server. */
  onFrame(text) {
    this.lastReceived = Date.now();
    let msg;
    try { msg = JSON.parse(text); } catch (_) { return; }
    switch (msg.t) {
      case 'welcome': return this.onWelcome(msg);
      case 'reply': return this.onReply(msg);
      case 'event': return this.onEvent(msg);
      case 'state': return this.applySnapshot(msg, { resync: msg.resync === true });
      case 'error': return this.onError(msg);
      case 'transfer':
        this.transfer = { url: msg.url, code: msg.code };
        return this.emit('transfer', { url: msg.url, code: msg.code });
      default: return undefined;
    }
  }

  /** @private After auth: resume or re-join rooms, flush queued requests, start the heartbeat. */
  async onWelcome(msg) {
    const reconnect = this.everConnected;
    const resumed = !!msg.resumed;
    const generation = ++this.generation;
    this.welcome = msg;
    this.player = msg.player;
    this.resumeToken = msg.resume || null;
    this.status = 'open';
    this.everConnected = true;
    this.attempt = 0;
    this.authFailures = 0;
    const interval = Math.max(5000, msg.heartbeatMs || 20000);
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = setInterval(() => {
      if (Date.now() - this.lastReceived >= interval) this.checkAlive();
    }, interval);

    for (const [id, p] of this.pending) {
      if (resumed || p.frame.t === 'ping') {
        p.sent = false;            // same session: sent again with the same id, the server answers
                                   // it from its recent replies if it ran already
      } else if (p.sent) {         // new session: whether the old one ran it, nobody knows
        this.settle(id, new PartylineError('connection_lost', 'The connection was lost before the server answered.'));
      }
    }
    if (this.opening) { this.opening.resolve(msg); this.opening = null; }
    this.emit('open', msg);

    if (reconnect && !resumed && this.rooms.size) {
      this.rejoining = true;
      await this.rejoinAll();
      if (generation !== this.generation) return;    // dropped again meanwhile
      this.rejoining = false;
    }
    for (const [, p] of this.pending) if (!p.sent) this.transmit(p);
    if (reconnect) this.emit('reconnected', { resumed, welcome: msg });
  }

  /** @private Joins again every room this client was in; each new snapshot surfaces as 'state'. */
  async rejoinAll() {
    const generation = this.generation;
    await Promise.all([...this.rooms.keys()].map(async (code) => {
      try {
        await this.request({ t: 'join', room: code }, this.requestTimeoutMs, true);
      } catch (error) {
        if (generation !== this.generation || ['timeout', 'closed', 'connection_lost'].includes(error.code)) return;
        this.rooms.delete(code);
        this.emit('roomlost', { room: code, error });
      }
    }));
  }

  /**
   * @private An `error` frame. Right after a resumed `welcome`, the server says so for each room
   * this client named that the session is no longer in: `room_closed` (it closed while this
   * client was away) or `not_a_member` (it is still open, but the seat is gone). Either drops
   * the room and surfaces as 'roomlost'; anything else as 'error'.
   */
  onError(msg) {
    if (msg.code === 'room_closed' || msg.code === 'not_a_member') {
      // The frame names the room in its message only ("Room ABCD closed while you were away.",
      // "You are no longer in room ABCD."); a `room` field is preferred should the server add one.
      const code = typeof msg.room === 'string' ? normalizeCode(msg.room)
        : (/\b[Rr]oom ([A-HJ-NP-Z]{4})\b/.exec(msg.message || '') || [])[1];
      if (code && this.rooms.has(code)) {
        this.rooms.delete(code);
        this.early.delete(code);
        this.emit('roomlost', { room: code, error: new PartylineError(msg.code, msg.message, { room: code }) });
        return;
      }
    }
    this.emit('error', { code: msg.code, message: msg.message });
  }

  /** @private */
  onReply(msg) {
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.ok) {
      let data = msg.data;
      if ((p.frame.t === 'create' || p.frame.t === 'join') && data && data.room) data = this.applySnapshot(data, { reply: true });
      this.settle(msg.id, null, data);
    } else {
      const error = msg.error || {};
      this.settle(msg.id, new PartylineError(error.code || 'error', error.message, { request: p.frame }));
    }
  }

  /** @private Applies a room event after dedup; keeps members current; emits 'event'. */
  onEvent(msg) {
    const room = this.rooms.get(msg.room);
    if (!room) {
      // A join or create may still be on its way: keep a few events for its snapshot.
      const inFlight = [...this.pending.values()].some((p) => p.frame.t === 'create' || p.frame.t === 'join');
      if (inFlight) {
        const list = this.early.get(msg.room) || [];
        if (list.length < 200) list.push(msg);
        this.early.set(msg.room, list);
      }
      return;
    }
    if (typeof msg.seq === 'number') {
      if (msg.seq <= room.seq) return;               // already seen (replay or snapshot overlap)
      room.seq = msg.seq;                            // a gap is normal: private events of others
    }
    applyPresence(room, msg);
    /** @type {RoomEvent} */
    const event = { room: msg.room, seq: msg.seq, name: msg.name, from: msg.from ?? null, data: msg.data ?? null };
    this.emit('event', event, room);
    this.emit('event:' + msg.name, event, room);
  }

  /**
   * @private Replaces a room's snapshot wholesale, replays early events past its seq, emits 'state'.
   * A reply snapshot older than what this client has of the same room incarnation is ignored:
   * after a resume a re-sent `join` or `create` is answered from the server's memory, with the
   * snapshot of that time, while the resync `state` or the replay already brought the room further.
   * @param {object} msg  a `state` frame or the data of a create/join reply
   * @param {{resync?: boolean, reply?: boolean}} [how]
   * @returns {RoomSnapshot}
   */
  applySnapshot(msg, how = {}) {
    const known = this.rooms.get(msg.room);
    if (how.reply && known && known.epoch === msg.epoch && (msg.seq ?? 0) < known.seq) return known;
    /** @type {RoomSnapshot} */
    const room = {
      room: msg.room, type: msg.type, epoch: msg.epoch, seq: msg.seq ?? 0,
      members: (msg.members || []).map((m) => ({ id: m.id, name: m.name, online: !!m.online, host: !!m.host })),
      state: msg.state ?? null, you: msg.you ?? this.player?.id ?? null,
    };
    this.rooms.set(room.room, room);
    this.emit('state', room, { resync: !!how.resync });
    const early = this.early.get(room.room);
    if (early) {
      this.early.delete(room.room);
      early.sort((a, b) => a.seq - b.seq).forEach((e) => this.onEvent(e));
    }
    return room;
  }

  // ---------------------------------------------------------------- requests

  /**
   * Creates a room; this client joins it as host. Resolves with its snapshot.
   * @param {string} type  room type, e.g. 'chat'
   * @param {object} [options]  room-type options, e.g. {title}
   * @returns {Promise<RoomSnapshot>}
   */
  create(type, options) {
    const frame = { t: 'create', type };
    if (options !== undefined && options !== null) frame.options = options;
    return this.request(frame);
  }

  /**
   * Joins a room by code (trimmed and upper-cased). Resolves with its snapshot.
   * @param {string} code
   * @returns {Promise<RoomSnapshot>}
   */
  join(code) {
    return this.request({ t: 'join', room: normalizeCode(code) });
  }

  /**
   * Leaves a room. The client stops tracking it when the request ends, whatever the answer
   * (unless the room was joined again meanwhile).
   * @param {string} code
   */
  async leave(code) {
    const room = normalizeCode(code);
    const before = this.rooms.get(room);
    try {
      return await this.request({ t: 'leave', room });
    } finally {
      if (this.rooms.get(room) === before) this.rooms.delete(room);
    }
  }

  /**
   * Sends a message to a room's logic, e.g. send('ABCD', 'message', {text: 'hi'}).
   * @param {string} room @param {string} name @param {*} [data]
   * @param {{timeoutMs?: number}} [opts]
   */
  send(room, name, data, opts) {
    return this.request({ t: 'send', room: normalizeCode(room), name, data: data ?? null }, opts?.timeoutMs);
  }

  /** Application-level round trip; resolves with the round-trip time in ms. */
  async ping() {
    const start = Date.now();
    await this.request({ t: 'ping' });
    return Date.now() - start;
  }

  /** @returns {RoomSnapshot|undefined} the tracked snapshot of a room this client is in. */
  room(code) {
    return this.rooms.get(normalizeCode(code));
  }

  /**
   * @private Sends a request (or queues it until the connection is back) and resolves with
   * the reply's data; rejects with a PartylineError (`.code`) on an error reply or timeout.
   */
  request(frame, timeoutMs, urgent) {
    if (this.status === 'closed' || this.status === 'idle') {
      return Promise.reject(new PartylineError('closed', 'Not connected.'));
    }
    const id = this.nextId++;
    frame = { ...frame, id };
    return new Promise((resolve, reject) => {
      const p = { frame, resolve, reject, timeoutMs: timeoutMs || this.requestTimeoutMs, timer: null, sent: false };
      this.pending.set(id, p);
      if (this.status === 'open' && (urgent || !this.rejoining)) this.transmit(p);
    });
  }

  /**
   * @private Sends a pending request (again, with the same id, after a resume) and starts its
   * timeout. A request waiting for the connection has no timeout running.
   */
  transmit(p) {
    const id = p.frame.id;
    clearTimeout(p.timer);
    p.timer = setTimeout(() => this.settle(id, new PartylineError('timeout',
      `No answer from the server within ${Math.round(p.timeoutMs / 1000)} s.`)), p.timeoutMs);
    try {
      this.ws.send(JSON.stringify(p.frame));
      p.sent = true;
    } catch (_) { /* socket closing: sent again after the next welcome */ }
  }

  /** @private Resolves or rejects one pending request. */
  settle(id, error, data) {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (this.early.size && ![...this.pending.values()].some((q) => q.frame.t === 'create' || q.frame.t === 'join')) {
      this.early.clear();          // no snapshot is coming any more for the events kept so far
    }
    if (error) p.reject(error); else p.resolve(data);
  }

  /** @private Rejects every pending request. */
  failPending(code, message) {
    for (const id of [...this.pending.keys()]) this.settle(id, new PartylineError(code, message));
  }
}

/**
 * Keeps a room's member list current from the presence events every room type sends:
 * joined, left, away, back ({id, name}) and host ({id}).
 * @param {RoomSnapshot} room @param {{name: string, data: *}} event
 */
function applyPresence(room, event) {
  const data = event.data || {};
  const member = room.members.find((m) => m.id === data.id);
  switch (event.name) {
    case 'joined':
      if (member) { member.online = true; if (data.name) member.name = data.name; }
      else room.members.push({ id: data.id, name: data.name, online: true, host: false });
      break;
    case 'left':
      room.members = room.members.filter((m) => m.id !== data.id);
      break;
    case 'away':
      if (member) member.online = false;
      break;
    case 'back':
      if (member) member.online = true;
      break;
    case 'host':
      room.members.forEach((m) => { m.host = m.id === data.id; });
      break;
    default:
      break;
  }
}

/** Trims and upper-cases a join code, as the server does. */
export function normalizeCode(code) {
  return String(code ?? '').trim().toUpperCase();
}

/** Whether a (normalized) code has the shape of a join code: 4 letters A–Z without I and O. */
export function isValidCode(code) {
  return /^[A-HJ-NP-Z]{4}$/.test(normalizeCode(code));
}
