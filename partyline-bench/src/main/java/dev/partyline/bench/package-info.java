/**
 * partyline-bench, the load generator of issue 5: scenarios ({@code party}, {@code fanout}, {@code idle}, {@code connect}) that
 * open many WebSockets from one process on a shared Netty event-loop group (or from several
 * worker processes and report as one, {@code --processes}: see {@link dev.partyline.bench.Coordinator}), count every delivery
 * (lost, duplicated, expected) and record end-to-end latency in HdrHistograms, corrected for
 * coordinated omission by measuring from each message's intended send time.
 */
package dev.partyline.bench;
