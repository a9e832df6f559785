/**
 * The public game API: what a room type implements ({@link dev.partyline.core.game.RoomLogic})
 * and what it may call ({@link dev.partyline.core.game.RoomContext}). Room types such as chat
 * and switchonyms depend on this package only.
 */
package dev.partyline.core.game;
