/**
 * How nodes share rooms: topics carrying opaque payloads. {@link dev.partyline.core.broker.LocalBroker}
 * serves one node in memory; a Redis-backed broker (its own module) serves many.
 */
package dev.partyline.core.broker;
