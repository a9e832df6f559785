/**
 * Protocol v1 of Partyline: the messages a client and a server exchange on {@code /ws}, their
 * strict JSON codecs, and the error and close codes. No Netty and no room logic live here,
 * so the server, the Java client and the bench share exactly one definition of the wire.
 */
package dev.partyline.protocol;
