/**
 * The heart of Partyline without any transport: rooms and their mailboxes, player sessions,
 * the game API, join codes, tickets, limits and the {@code Broker} seam. Nothing here imports
 * Netty, so all of it can be tested with plain executors and a manual clock.
 */
package dev.partyline.core;
