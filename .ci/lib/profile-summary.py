#!/usr/bin/env python3
"""Summarises a sampled thread-time profile (dotnet-trace's Speedscope output) of the app under send load.

The sampler marks each sample CPU_TIME (the thread was in managed code) or UNMANAGED_CODE_TIME (in
native code: a blocking call, or SQLite's own C code). "Busy" here is CPU_TIME, and UNMANAGED_CODE_TIME
under Microsoft.Data.Sqlite's frames; the rest is waiting. Busy is not CPU: a thread in managed code
that the OS has not scheduled (a loaded machine) or that a collection holds counts too, so read the
shares, not the seconds. Prints each layer's inclusive share of the busy time and the top frames.

    python3 .ci/lib/profile-summary.py sends.speedscope.json [top]
"""
import json
import re
import sys
from collections import defaultdict

WAITS = re.compile(
    r"WaitForSignal|WaitOneNoCheck|WaitOne\b|Monitor\.Wait|Thread\.Sleep|SleepEx|WaitHandle\.Wait|"
    r"LowLevelLifoSemaphore|LowLevelMonitor|PortableThreadPool\+GateThread|WaitForSocketEvents|"
    r"SocketAsyncEngine\.EventLoop|Interop\+Sys\.WaitForSocketEvents|ManualResetEventSlim\.Wait|SemaphoreSlim\.Wait\b|"
    r"TimerQueue\.TimerThread|WaitSubsystem|Thread\.Join|SpinWait|ReadFile|Console")

# A layer is the first of these its frames name, looked for from the outermost frame in.
LAYERS = [
    ("hub and HTTP (framing, protocol, Kestrel)", r"Microsoft\.AspNetCore\.(SignalR|Server\.Kestrel|Http\.Connections|Hosting|Routing)|System\.Net\.WebSockets|System\.IO\.Pipelines"),
    ("send (MessageService.CreateAsync, inclusive)", r"Whop\.Inbox\.Messaging\.MessageService(\.|\+<)CreateAsync"),
    ("rights (ChannelAccess)", r"Whop\.Inbox\.Identity\.Rights\."),
    ("EF Core (queries, SaveChanges, tracking)", r"Microsoft\.EntityFrameworkCore\."),
    ("  query compilation and translation", r"QueryCompiler\.Compile|QueryTranslation|ExpressionTreeFuncletizer|RelationalParameterBasedSqlProcessor|QuerySqlGenerator|CompiledQueryCache"),
    ("  change tracking and SaveChanges", r"StateManager|ChangeTracker|InternalEntityEntry|SaveChanges|CommandBatch|ModificationCommand"),
    ("  materialization", r"ShapedQueryCompilingExpressionVisitor|Materializ|SingleQueryingEnumerable"),
    ("database provider (ADO.NET, SQLite's C code, Npgsql)", r"Microsoft\.Data\.Sqlite|Npgsql\.|SQLitePCL"),
    ("bookkeeping (unread, response times, webhooks)", r"Whop\.Inbox\.Messaging\.Unread|Whop\.Inbox\.Support\.Reports|Whop\.Inbox\.Webhooks|SqlStatements"),
    ("events: staging and their JSON", r"ChatEventLog\.Stage|ChatJson|MessageViews"),
    ("events: dispatch and fan-out", r"ChatEventDispatcher|ChatNotifier|ChatSubscription|HubEvents|SqliteEventPublisher|PostgresEventListener|ChatEventQueue"),
    ("JSON (any)", r"System\.Text\.Json"),
    ("logging", r"Microsoft\.Extensions\.Logging|Serilog|LoggerMessage|ConsoleLogger"),
    ("metrics and tracing", r"System\.Diagnostics\.Metrics|Whop\.Inbox\.Observability|System\.Diagnostics\.Activity"),
    ("GC: finalizer thread, threads held for a collection, allocation", r"GC\.RunFinalizers|PollGC|GC\.<Allocate|AllocateObject"),
    ("thread pool: idle workers spinning before they sleep", r"LowLevelLifoSemaphore\.Wait"),
    ("JIT and type loading", r"JIT_|MethodDesc::|TieredCompilation|ClassLoader"),
]


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    doc = json.load(open(path))
    frames = [f["name"] for f in doc["shared"]["frames"]]
    waits = [bool(WAITS.search(n)) for n in frames]
    sqlite = [bool(re.search(r"Microsoft\.Data\.Sqlite|SQLitePCL", n)) for n in frames]
    unmanaged = [n == "UNMANAGED_CODE_TIME" for n in frames]
    # The finalizer thread between collections waits in the runtime's own code, yet its samples come as
    # CPU_TIME in GC.RunFinalizers with nothing under it (all of the trace's wall time): waiting, not busy.
    idle_finalizer = [n.endswith("GC.RunFinalizers()") for n in frames]
    layer_of = [[i for i, (_, rx) in enumerate(LAYERS) if re.search(rx, n)] for n in frames]

    busy = 0.0
    total = 0.0
    inclusive = defaultdict(float)
    exclusive = defaultdict(float)
    layers = defaultdict(float)
    for profile in doc["profiles"]:
        stack = []
        last = None
        for event in profile["events"]:
            at = event["at"]
            if last is not None and stack and at > last:
                span = at - last
                total += span
                leaf = stack[-1]
                on_cpu = (not waits[leaf] and (not unmanaged[leaf] or any(sqlite[f] for f in stack[-4:-1]))
                          and not (len(stack) > 1 and idle_finalizer[stack[-2]]))
                if on_cpu:
                    busy += span
                    exclusive[leaf] += span
                    for f in set(stack):
                        inclusive[f] += span
                    for li in {li for f in stack for li in layer_of[f]}:
                        layers[li] += span
            last = at
            if event["type"] == "O":
                stack.append(event["frame"])
            else:
                # Close the frame (and anything left open inside it).
                while stack and stack.pop() != event["frame"]:
                    pass

    print(f"threads' sampled time {total / 1000:.1f} s, of it busy {busy / 1000:.1f} s")
    print("\nlayer (inclusive, % of the busy time)")
    for i, (name, _) in enumerate(LAYERS):
        print(f"  {100 * layers[i] / busy:5.1f}%  {name}")
    print(f"\ntop {top} frames, inclusive (% of the busy time)")
    for f, t in sorted(inclusive.items(), key=lambda kv: -kv[1])[:top]:
        print(f"  {100 * t / busy:5.1f}%  {frames[f][:160]}")
    print(f"\ntop {top // 2} frames, exclusive")
    for f, t in sorted(exclusive.items(), key=lambda kv: -kv[1])[:top // 2]:
        print(f"  {100 * t / busy:5.1f}%  {frames[f][:160]}")


if __name__ == "__main__":
    main()
