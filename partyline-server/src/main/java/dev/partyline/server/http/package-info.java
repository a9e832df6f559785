/**
 * Plain HTTP on the node's port: the ticket API, health and readiness, Prometheus metrics, the
 * web client's static files, origin checks and CORS, and the per-address connection limit.
 */
package dev.partyline.server.http;
