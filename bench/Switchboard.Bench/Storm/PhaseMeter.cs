using System.Diagnostics;
using Switchboard.Bench.Shared;

namespace Switchboard.Bench.Storm;

/// <summary>
/// Runs one phase and measures it: the manager's status asked every 50 ms, open-loop (<see cref="StatusProbe{T}"/>:
/// each latency from the moment the query was due, so a stall counts for every query it delays; the answers
/// also decide when the phase is done), and every 100 ms a sample of connected endpoints, threads, RSS and CPU. Bounded by the phase limit; exceeding it is a failure, not a hang.
/// </summary>
internal sealed class PhaseMeter(IStormSide side, int endpoints, long rssBeforeBytes, TimeSpan limit, TextWriter log, IReadOnlyList<int> fleetPids, string? machineStallsPath = null)
{
    private static readonly TimeSpan StatusInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(5);

    /// <summary>One listener for the process: the collector pauses every thread, the manager's and the probe's.</summary>
    private static readonly GcPauses Pauses = new();

    /// <summary>Set by <c>storm --allocations</c>: each phase logs what it allocated, by type.</summary>
    public static AllocationSampler? Allocations { get; set; }

    /// <summary>Every endpoint connected yet the phase not done, and nothing moving for this long: it never will be.</summary>
    private static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(20);

    /// <summary>The fleet counts as settled once it has used less than this over <see cref="FleetQuietWindow"/> (idle heartbeats are a few hundredths of a core).</summary>
    private static readonly TimeSpan FleetQuietCpu = TimeSpan.FromMilliseconds(30);
    private static readonly TimeSpan FleetQuietWindow = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan FleetSettleLimit = TimeSpan.FromSeconds(10);

    /// <summary>
    /// When the phase ends: not when the manager's status shows every link up, but when the fleet has finished
    /// its side of the handshakes as well. A TLS 1.3 client is done with a handshake one flight before its
    /// agent, which still has to verify the client's certificate and issue its ticket; a manager that counted
    /// its links up there ended its phase with the fleet still busy for up to seconds, and its figures left
    /// that work out. So the end is the start of the first quiet stretch of the fleet (under
    /// <see cref="FleetQuietCpu"/> over <see cref="FleetQuietWindow"/>) after the manager saw every link up,
    /// for both managers alike; without fleet processes it is the moment the manager saw it.
    /// </summary>
    /// <returns>The phase's elapsed time at its end, and how long after the manager's view the fleet settled (null without a fleet process, or if it never did within <see cref="FleetSettleLimit"/>).</returns>
    private async Task<(TimeSpan End, double? Settle)> FleetSettledAsync(Stopwatch stopwatch)
    {
        var managerDone = stopwatch.Elapsed;
        if (fleetPids.Count == 0)
        {
            return (managerDone, null);
        }

        var readings = new List<(TimeSpan At, double Cpu)> { (managerDone, ProcessProbe.CpuSecondsOf(fleetPids)) };
        while (stopwatch.Elapsed - managerDone < FleetSettleLimit)
        {
            await Task.Delay(StatusInterval);
            var now = (stopwatch.Elapsed, ProcessProbe.CpuSecondsOf(fleetPids));
            readings.Add(now);
            // The oldest reading at least a window back: quiet since then means settled since then.
            var from = readings.LastOrDefault(r => now.Item1 - r.At >= FleetQuietWindow);
            if (from != default && now.Item2 - from.Cpu < FleetQuietCpu.TotalSeconds)
            {
                return (from.At, (from.At - managerDone).TotalSeconds);
            }
        }

        return (stopwatch.Elapsed, null);
    }

    /// <param name="begin">Starts the phase (a manager start or the agentdrop trigger); returns why it could not, or null.</param>
    /// <param name="before">The status before the phase, against which handshakes are counted.</param>
    /// <param name="done">Whether a status shows the phase complete.</param>
    public async Task<PhaseMeasurement> MeasureAsync(string phase, Func<Task<string?>> begin, SideSnapshot before, Func<SideSnapshot, bool> done)
    {
        await StatusProbe<SideSnapshot>.WarmUpAsync(before);
        var failuresBefore = side.FailuresByCause();
        var dropsBefore = side.DropsByCause();
        var resumedWithoutBefore = side.ResumedWithoutKeyExchange;
        var samples = new List<Sample>();
        var latencies = new List<double>();
        var latest = before;
        var threads0 = ProcessProbe.Threads();
        var peakThreads = threads0;
        var peakRss = ProcessProbe.RssBytes();
        var cpu0 = ProcessProbe.CpuSeconds();
        var systemCpu0 = ProcessProbe.SystemCpuSeconds();
        var faults0 = ProcessProbe.PageFaults();
        var jit0 = ProcessProbe.JitSeconds();
        var jitMethods0 = ProcessProbe.JitMethods();
        var fleetCpu0 = ProcessProbe.CpuSecondsOf(fleetPids);
        var machine0 = ProcessProbe.MachineTicks();
        var gcPause0 = GC.GetTotalPauseDuration();
        var gcCount0 = GC.CollectionCount(0);
        var allocated0 = GC.GetTotalAllocatedBytes(precise: false);
        var allocations0 = Allocations?.Snapshot();
        var stopwatch = Stopwatch.StartNew();
        var startTimestamp = Stopwatch.GetTimestamp();
        var originUtc = DateTime.UtcNow;

        void TakeSample()
        {
            var threads = ProcessProbe.Threads();
            var rss = ProcessProbe.RssBytes();
            var snapshot = Volatile.Read(ref latest);
            lock (samples)
            {
                peakThreads = Math.Max(peakThreads, threads);
                peakRss = Math.Max(peakRss, rss);
                samples.Add(new Sample(stopwatch.Elapsed.TotalSeconds, snapshot.Connected, snapshot.Handshakes - before.Handshakes,
                    threads, rss, ProcessProbe.CpuSeconds() - cpu0));
            }
        }

        using var stopSampling = new CancellationTokenSource();
        TakeSample();
        var sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(SampleInterval);
            try
            {
                while (await timer.WaitForNextTickAsync(stopSampling.Token))
                {
                    TakeSample();
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        string? failure;
        try
        {
            failure = await begin();
        }
        catch (Exception e)
        {
            failure = $"could not start the phase: {e.GetType().Name}: {e.Message}";
        }

        var completed = false;
        double? fleetSettle = null;
        double? firstHandshake = null;
        var elapsed = stopwatch.Elapsed;
        var nextProgress = TimeSpan.FromSeconds(1);
        var lastChange = TimeSpan.Zero;
        var lastSeen = before;
        var probe = new StatusProbe<SideSnapshot>(side.StatusAsync, StatusInterval, StatusTimeout, stopwatch);
        using var stopProbing = new CancellationTokenSource();
        var probing = failure is null ? Task.Run(() => probe.RunAsync(stopProbing.Token)) : Task.CompletedTask;
        while (failure is null && stopwatch.Elapsed < limit)
        {
            // The probe asks on its own schedule; this loop only reads its newest answer.
            await Task.Delay(StatusInterval);
            if (probe.Latest is not { } snapshot)
            {
                continue;
            }

            Volatile.Write(ref latest, snapshot);
            if (firstHandshake is null && snapshot.Handshakes > before.Handshakes)
            {
                firstHandshake = stopwatch.Elapsed.TotalSeconds;
            }

            if (done(snapshot))
            {
                completed = true;
                (elapsed, fleetSettle) = await FleetSettledAsync(stopwatch);
                break;
            }

            if (snapshot.Connected != lastSeen.Connected || snapshot.Handshakes != lastSeen.Handshakes)
            {
                lastSeen = snapshot;
                lastChange = stopwatch.Elapsed;
            }
            else if (snapshot.Connected == endpoints && stopwatch.Elapsed - lastChange > StallLimit)
            {
                failure = $"stalled: {endpoints}/{endpoints} connected but only {snapshot.Handshakes - before.Handshakes} handshakes, " +
                          $"nothing changed for {StallLimit.TotalSeconds:F0} s; links seen dropping: {Delta(dropsBefore, side.DropsByCause()).Values.Sum()} " +
                          "(the rest were never dropped by the fleet)";
                break;
            }

            if (stopwatch.Elapsed >= nextProgress)
            {
                var s = Volatile.Read(ref latest);
                log.WriteLine($"  [{side.Name} {phase}] {stopwatch.Elapsed.TotalSeconds,5:F1} s  {s.Connected,6}/{endpoints} connected  {s.Handshakes - before.Handshakes,6} handshakes");
                nextProgress += TimeSpan.FromSeconds(1);
            }
        }

        await stopProbing.CancelAsync();
        await probing;
        var queries = probe.Timed();
        latencies.AddRange(queries.Select(q => q.Ms));
        var phaseEndUtc = originUtc + stopwatch.Elapsed;

        var cpu = ProcessProbe.CpuSeconds() - cpu0;
        var systemCpu = ProcessProbe.SystemCpuSeconds() - systemCpu0;
        var faults = ProcessProbe.PageFaults() - faults0;
        var jit = ProcessProbe.JitSeconds() - jit0;
        var jitMethods = ProcessProbe.JitMethods() - jitMethods0;
        var fleetCpu = ProcessProbe.CpuSecondsOf(fleetPids) - fleetCpu0;
        var machine = ProcessProbe.MachineTicks();
        var machineIdle = machine.Total > machine0.Total ? (double)(machine.Idle - machine0.Idle) / (machine.Total - machine0.Total) : (double?)null;
        // Every collection pauses every managed thread, the supervisor's too: a share of the status tail.
        var gcPause = GC.GetTotalPauseDuration() - gcPause0;
        var gcCount = GC.CollectionCount(0) - gcCount0;
        var allocated = GC.GetTotalAllocatedBytes(precise: false) - allocated0;
        if (!completed)
        {
            elapsed = stopwatch.Elapsed;
            var s = Volatile.Read(ref latest);
            failure ??= $"not done within the phase limit of {limit.TotalSeconds:F0} s: {s.Connected}/{endpoints} connected, {s.Handshakes - before.Handshakes} handshakes, " +
                        $"links seen dropping: {Delta(dropsBefore, side.DropsByCause()).Values.Sum()}";
        }

        TakeSample();
        await stopSampling.CancelAsync();
        await sampler;
        var rssAfter = ProcessProbe.RssBytes();
        var rssSettled = await ProcessProbe.SettledRssBytesAsync(TimeSpan.FromSeconds(1));
        var final = Volatile.Read(ref latest);
        var byCause = Delta(failuresBefore, side.FailuresByCause());
        var drops = Delta(dropsBefore, side.DropsByCause());
        var resumedWithout = side.ResumedWithoutKeyExchange - resumedWithoutBefore;
        var first = latencies.Count == 0 ? 0 : latencies[0];
        var afterFirst = latencies.Skip(1).Order().ToList();
        // Read after the settle second: the runtime hands its events to listeners on a thread of its own, late.
        var pauses = Pauses.Since(originUtc).Where(p => p.Start < phaseEndUtc).ToList();
        List<double> Outside(List<(DateTime Start, DateTime End)> intervals) => [.. queries
            .Select(q => q.Ms - GcPauses.Overlap(intervals, originUtc + q.Due, originUtc + q.Due + TimeSpan.FromMilliseconds(q.Ms)).TotalMilliseconds)
            .Order()];
        var outsideGc = Outside(pauses);
        // The host's stalls, as a process that is neither manager nor fleet saw them (MachineStalls), on top.
        var windowStart = (double)startTimestamp / Stopwatch.Frequency;
        var stalls = MachineStalls.Read(machineStallsPath, originUtc, windowStart, phaseEndUtc - originUtc);
        var outsideStalls = Outside(MachineStalls.Union(pauses.Concat(stalls)));
        if (stalls.Count > 0)
        {
            log.WriteLine($"  [{side.Name} {phase}] machine stalls of 20 ms or more: {string.Join(", ", stalls.Select(st => $"{(st.End - st.Start).TotalMilliseconds:F0} ms at {(st.Start - originUtc).TotalSeconds:F2} s"))}");
        }

        latencies.Sort();
        if (Pauses.Describe(originUtc, phaseEndUtc, TimeSpan.FromMilliseconds(20)) is { Count: > 0 } longPauses)
        {
            log.WriteLine($"  [{side.Name} {phase}] collection pauses of 20 ms or more: {string.Join(", ", longPauses)}");
        }

        if (Allocations is { } allocationSampler && allocations0 is not null)
        {
            var handshakes = final.Handshakes - before.Handshakes;
            log.WriteLine($"  [{side.Name} {phase}] allocated, by type (sampled): {string.Join(", ", AllocationSampler.Top(allocations0, allocationSampler.Snapshot(), 25, handshakes, "handshake"))}");
        }

        // perf's clock (-k CLOCK_MONOTONIC) is the Stopwatch's on Linux: bench/profile cuts its slices with this,
        // since the "done" line comes only after the settle second that follows the phase.
        log.WriteLine($"  [{side.Name} {phase}] window {windowStart:F3}-{windowStart + elapsed.TotalSeconds:F3} s (CLOCK_MONOTONIC)");
        if (resumedWithout is > 0)
        {
            log.WriteLine($"  [{side.Name} {phase}] resumed without a fresh key exchange: {resumedWithout} of {final.ResumedHandshakes - before.ResumedHandshakes}");
        }

        log.WriteLine($"  [{side.Name} {phase}] {(completed ? "done" : "FAILED")} in {elapsed.TotalSeconds:F2} s, {cpu:F2} CPU-s, {final.Connected}/{endpoints} connected{(failure is null ? "" : ": " + failure)}");
        if (fleetPids.Count > 0)
        {
            log.WriteLine($"  [{side.Name} {phase}] the fleet: {fleetCpu:F2} CPU-s; the machine idle {machineIdle:P0} of its CPU time; the fleet settled {fleetSettle?.ToString("F2") ?? "n/a"} s after the manager saw every link up");
        }

        return new PhaseMeasurement
        {
            Phase = phase,
            Side = side.Name,
            Endpoints = endpoints,
            Completed = completed,
            Failure = failure,
            Connected = final.Connected,
            Seconds = elapsed.TotalSeconds,
            FirstHandshakeSeconds = firstHandshake,
            CpuSeconds = cpu,
            ThreadsAtStart = threads0,
            PeakThreads = peakThreads,
            RssBeforeBytes = rssBeforeBytes,
            PeakRssBytes = peakRss,
            RssAfterBytes = rssAfter,
            RssSettledBytes = rssSettled,
            MemoryPerEndpointBytes = (double)(rssSettled - rssBeforeBytes) / endpoints,
            MemoryPerEndpointAtCompletionBytes = (double)(rssAfter - rssBeforeBytes) / endpoints,
            Handshakes = final.Handshakes - before.Handshakes,
            FullHandshakes = final.FullHandshakes - before.FullHandshakes,
            ResumedHandshakes = final.ResumedHandshakes - before.ResumedHandshakes,
            ResumedWithoutKeyExchange = resumedWithout,
            Timeouts = byCause.GetValueOrDefault("handshake_timeout") + byCause.GetValueOrDefault("connect_timeout"),
            Failures = byCause.Values.Sum(),
            FailuresByCause = byCause,
            LinksDropped = drops.Values.Sum(),
            DropsByCause = drops,
            StatusQueries = latencies.Count,
            StatusP50Ms = Percentile(latencies, 0.50),
            StatusP99Ms = Percentile(latencies, 0.99),
            StatusMaxMs = latencies.Count == 0 ? 0 : latencies[^1],
            StatusFirstMs = first,
            StatusFirstAnswerMs = queries.Count == 0 ? null : (queries[0].Due.TotalMilliseconds + queries[0].Ms),
            StatusP99AfterFirstMs = Percentile(afterFirst, 0.99),
            GcPauseMs = gcPause.TotalMilliseconds,
            GcCollections = gcCount,
            AllocatedBytes = allocated,
            SystemCpuSeconds = systemCpu,
            PageFaults = faults,
            JitSeconds = jit,
            JitMethods = jitMethods,
            FleetCpuSeconds = fleetPids.Count > 0 ? fleetCpu : null,
            FleetSettleSeconds = fleetSettle,
            MachineIdleShare = machineIdle,
            GcMaxPauseMs = pauses.Count == 0 ? 0 : pauses.Max(p => (p.End - p.Start).TotalMilliseconds),
            StatusP99OutsideGcMs = Percentile(outsideGc, 0.99),
            StatusSlowest = [.. queries.OrderByDescending(q => q.Ms).Take(3).Select(q => new[] { Math.Round(q.Due.TotalSeconds, 3), Math.Round(q.Ms, 1) })],
            StatusP99OutsideGcAndMachineStallsMs = machineStallsPath is null ? null : Percentile(outsideStalls, 0.99),
            MachineStallMaxMs = machineStallsPath is null ? null : stalls.Count == 0 ? 0 : stalls.Max(st => (st.End - st.Start).TotalMilliseconds),
            Samples = samples,
        };
    }

    internal static Dictionary<string, long> Delta(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        after.Select(kv => (kv.Key, Delta: kv.Value - before.GetValueOrDefault(kv.Key)))
            .Where(kv => kv.Delta != 0)
            .ToDictionary(kv => kv.Key, kv => kv.Delta);

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
