/**
 * Limits that keep one client from hurting the others: message rates per connection, failed
 * joins per IP address (codes are guessable), and the {@link dev.partyline.core.limit.Limits}
 * record that gathers every configurable limit with its default.
 */
package dev.partyline.core.limit;
