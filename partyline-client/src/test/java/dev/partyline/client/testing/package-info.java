/**
 * Test fixtures shared with other modules through this module's test-jar: things every test
 * that runs Netty needs, such as failing on leaked buffers.
 */
package dev.partyline.client.testing;
