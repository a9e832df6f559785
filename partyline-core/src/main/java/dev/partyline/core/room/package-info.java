/**
 * Rooms: join codes, the registry of live rooms, each room's mailbox-confined state and event
 * numbering, and the node-local fanout that hands a room's published events to its members'
 * connections.
 */
package dev.partyline.core.room;
