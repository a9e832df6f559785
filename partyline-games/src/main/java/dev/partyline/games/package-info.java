/**
 * The room types Partyline ships, each in a package of its own and written only against the
 * public game API ({@code dev.partyline.core.game}); {@link dev.partyline.games.Games} lists them
 * for the application to register.
 */
package dev.partyline.games;
