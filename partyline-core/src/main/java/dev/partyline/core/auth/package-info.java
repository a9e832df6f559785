/**
 * Who a client is: the {@link dev.partyline.core.auth.Authenticator} hook that turns a ticket
 * request into a player, and the single-use, short-lived {@link dev.partyline.core.auth.Tickets}
 * that carry that identity onto a WebSocket (browsers cannot send auth headers there).
 */
package dev.partyline.core.auth;
