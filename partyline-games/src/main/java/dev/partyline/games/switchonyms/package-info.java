/**
 * The {@code switchonyms} room type: an in-person party word game for 2 to 12 players on their
 * phones. Each player privately holds a secret word of the round's category (nouns, verbs, then
 * adjectives), clues it out loud, switches it when stuck and taps "got it" when someone says it.
 * {@link dev.partyline.games.switchonyms.SwitchonymsRoom} documents the rules, messages, events,
 * error codes and view; {@link dev.partyline.games.switchonyms.WordLists} holds the words.
 */
package dev.partyline.games.switchonyms;
