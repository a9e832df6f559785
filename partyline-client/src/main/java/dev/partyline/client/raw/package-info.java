/**
 * Low-level WebSocket plumbing on Netty: opening an upgraded channel with an optional
 * {@code Origin}, reporting a refused upgrade with its HTTP status and body, and answering
 * control frames. The SDK in {@code dev.partyline.client} is built on it, and server tests use
 * {@link dev.partyline.client.raw.RawWebSocket} to send what a well-behaved client never would
 * (bad JSON, huge or binary frames, raw bytes, a socket that stops reading).
 */
package dev.partyline.client.raw;
