/**
 * Player sessions and the connections that carry them. A {@link dev.partyline.core.session.Session}
 * is the logical, long-lived side (it outlives a dropped socket); a
 * {@link dev.partyline.core.session.Connection} is one socket, supplied by the transport.
 */
package dev.partyline.core.session;
