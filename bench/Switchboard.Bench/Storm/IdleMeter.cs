using System.Diagnostics;
using Switchboard.Bench.Shared;

namespace Switchboard.Bench.Storm;

/// <summary>
/// The idle phase: every link up and nothing sent but heartbeats, for a fixed span, from when the work the
/// manager deferred after the cold phase is done. No status is asked during it
/// (asking costs the manager work it would not do when idle): CPU and context switches are read from this
/// process before and after, status once at each end. Complete when every endpoint is still connected and no
/// link had to be made again.
/// </summary>
internal static class IdleMeter
{
    public static async Task<PhaseMeasurement> MeasureAsync(IStormSide side, int endpoints, long rssBeforeBytes, TimeSpan span, TextWriter log)
    {
        var failuresBefore = side.FailuresByCause();
        var dropsBefore = side.DropsByCause();
        // Let the cold phase's deferred work and garbage settle first: idle is the state after it, which a
        // master lives in for days, and the one save after a storm is the storm's.
        await Task.Delay(side.DeferredWork);
        var rssAtStart = await ProcessProbe.SettledRssBytesAsync(TimeSpan.FromSeconds(2));
        var before = await side.StatusAsync(CancellationToken.None);
        var threads = ProcessProbe.Threads();
        var cpu0 = ProcessProbe.CpuSeconds();
        var switches0 = ProcessProbe.ContextSwitches();
        var clock = Stopwatch.StartNew();
        await Task.Delay(span);
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = ProcessProbe.CpuSeconds() - cpu0;
        var switches = ProcessProbe.ContextSwitches() - switches0;
        var rss = ProcessProbe.RssBytes();
        var after = await side.StatusAsync(CancellationToken.None);

        var handshakes = after.Handshakes - before.Handshakes;
        var failures = PhaseMeter.Delta(failuresBefore, side.FailuresByCause());
        var drops = PhaseMeter.Delta(dropsBefore, side.DropsByCause());
        var completed = after.Connected == endpoints && handshakes == 0;
        var failure = completed ? null : $"idle was not quiet: {after.Connected}/{endpoints} connected at its end, {handshakes} handshakes during it";
        log.WriteLine($"  [{side.Name} idle] {seconds:F1} s: {cpu / seconds:F4} cores, {switches / seconds:F0} context switches/s, RSS {rss / 1048576.0:F0} MiB{(failure is null ? "" : ": " + failure)}");

        return new PhaseMeasurement
        {
            Phase = StormPhases.Idle,
            Side = side.Name,
            Endpoints = endpoints,
            Completed = completed,
            Failure = failure,
            Connected = after.Connected,
            Seconds = seconds,
            CpuSeconds = cpu,
            CpuPerSecond = cpu / seconds,
            ContextSwitchesPerSecond = switches / seconds,
            ThreadsAtStart = threads,
            PeakThreads = Math.Max(threads, ProcessProbe.Threads()),
            RssBeforeBytes = rssBeforeBytes,
            PeakRssBytes = Math.Max(rssAtStart, rss),
            RssAfterBytes = rss,
            RssSettledBytes = rssAtStart,
            MemoryPerEndpointBytes = (double)(rssAtStart - rssBeforeBytes) / endpoints,
            MemoryPerEndpointAtCompletionBytes = (double)(rss - rssBeforeBytes) / endpoints,
            Handshakes = handshakes,
            FullHandshakes = after.FullHandshakes - before.FullHandshakes,
            ResumedHandshakes = after.ResumedHandshakes - before.ResumedHandshakes,
            Timeouts = failures.GetValueOrDefault("handshake_timeout") + failures.GetValueOrDefault("connect_timeout"),
            Failures = failures.Values.Sum(),
            FailuresByCause = failures,
            LinksDropped = drops.Values.Sum(),
            DropsByCause = drops,
            StatusQueries = 0,
            StatusP50Ms = 0,
            StatusP99Ms = 0,
            StatusMaxMs = 0,
            StatusFirstMs = 0,
            StatusP99AfterFirstMs = 0,
            Samples = [],
        };
    }

}
