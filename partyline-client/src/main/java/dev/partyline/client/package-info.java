/**
 * The Java client SDK of Partyline, usable from Java and Kotlin: {@link
 * dev.partyline.client.PartylineClient} gets a ticket over HTTP, opens the WebSocket, speaks
 * protocol v1 with promise-style requests and listeners, tracks each room's {@code epoch} and
 * {@code seq}, and after a dropped connection reconnects with jittered backoff and resumes its
 * session: missed events replayed once each, unanswered requests sent again under their ids. Its
 * settings are {@link dev.partyline.client.ClientConfig}; the low-level socket it is built on
 * lives in {@code raw}.
 */
package dev.partyline.client;
