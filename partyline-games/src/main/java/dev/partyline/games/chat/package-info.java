/**
 * The {@code chat} room type: a titled room where members post short text messages that
 * everyone sees, with the last messages kept for those who join later, and a title only the
 * host may change. {@link dev.partyline.games.chat.ChatRoom} documents the messages it takes.
 */
package dev.partyline.games.chat;
