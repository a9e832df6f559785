#!/usr/bin/env python3
"""Where a server's CPU went, from async-profiler's collapsed stacks (scripts/perf.sh --profile).

Usage: profile_summary.py FILE.collapsed [TOP]. Prints the share of samples per category (system
calls by kind, waiting in epoll, wake-ups of other loops, the server's own Java code by stage,
GC, JIT) and then the TOP frames by self time.
"""
import collections
import sys


def category(frames):
    """One category per stack: the first rule that matches, from the thread's root down."""
    stack = ";".join(frames)
    if frames[0] != "java/lang/Thread.run":  # JVM threads: compiler, GC, VM operations
        if "CompileBroker" in stack:
            return "JIT compiler"
        if "VMThread" in stack or "GC" in stack:
            return "GC and VM operations"
        return "other JVM threads"
    for frame in frames:
        if "epoll_pwait" in frame or "epollWait" in frame:
            return "waiting in epoll (and being woken)"
        if "eventfd_write" in frame or "eventFdWrite" in frame:
            return "waking another event loop"
        if "__sys_sendto" in frame or "writev" in frame or "sendAddress" in frame:
            return "send system calls (TCP on both ends of loopback)"
        if "__sys_recvfrom" in frame or "recvAddress" in frame or "readAddress" in frame or "ksys_read" in frame:
            return "receive system calls"
        if "accept" in frame.lower() and frame.endswith("_[k]"):
            return "accepting connections"
    if any(f.endswith("_[k]") for f in frames):
        return "other kernel work"
    if "flushUnflushed" in stack:
        return "Java: flushing"
    if "EventLoopDeliveryGroup.write" in stack or "EventLoopDeliveryGroup.deliver" in stack:
        return "Java: writing broadcasts"
    if "fireChannelRead" in stack:
        return "Java: reading, decoding, rooms"
    return "Java: other"


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    categories = collections.Counter()
    self_time = collections.Counter()
    total = 0
    with open(path) as f:
        for line in f:
            stack, _, count = line.rstrip().rpartition(" ")
            if not stack:
                continue
            frames = stack.split(";")
            n = int(count)
            total += n
            categories[category(frames)] += n
            self_time[frames[-1]] += n
    if total == 0:
        print(f"{path}: no samples")
        return
    print(f"{total} samples (1 ms of CPU each)\n")
    print("| share | where |")
    print("|---|---|")
    for name, n in categories.most_common():
        print(f"| {100 * n / total:.1f} % | {name} |")
    print(f"\nTop {top} frames by self time:")
    for frame, n in self_time.most_common(top):
        print(f"{100 * n / total:6.2f} %  {frame}")


if __name__ == "__main__":
    main()
