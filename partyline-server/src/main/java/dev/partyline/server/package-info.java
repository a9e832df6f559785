/**
 * The Netty transport of a node: bootstrap and event loops, the per-connection pipeline, and the
 * adapters that give core its {@code Mailbox}, {@code Connection} and {@code DeliveryGroup}.
 */
package dev.partyline.server;
