/** Authenticators that need the server's libraries, such as JWT verification. */
package dev.partyline.server.auth;
