using System.Diagnostics;
using Switchboard.Bench.Shared;
using Switchboard.Testing.Pki;

namespace Switchboard.Bench.Cluster;

/// <summary>The phases for one replication setting: fresh master processes, cold, 20 s quiet, kill -9 of one, a new master joining.</summary>
/// <param name="killOldest">Kill the oldest master (it runs the shard coordinator and the reconciler) rather than the youngest.</param>
internal sealed class ClusterRun(PkiLayout pki, int endpoints, int nodes, bool replicate, bool killOldest, int fleetPort, IReadOnlyList<int> fleetPids, string scratch, TimeSpan limit, TextWriter log)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(20);
    private readonly List<ClusterNodeProcess> _nodes = [];
    private readonly int[] _ports = [.. Enumerable.Range(0, nodes).Select(_ => FleetProcess.FreePort())];
    private string Mode => replicate ? "on" : "off";

    public async Task<IReadOnlyList<ClusterPhase>> RunAsync()
    {
        var phases = new List<ClusterPhase>();
        try
        {
            for (var i = 0; i < nodes; i++)
            {
                _nodes.Add(await StartNodeAsync(i, _ports[i], _ports[0], nodes));
            }

            phases.Add(await ColdAsync());
            await Task.Delay(Settle);
            phases.Add(await QuietAsync());
            phases.Add(await KillAsync());
            await Task.Delay(Settle);
            phases.Add(await RejoinAsync());
        }
        finally
        {
            await Task.WhenAll(_nodes.Select(n => n.StopAsync(TimeSpan.FromSeconds(30))));
            foreach (var node in _nodes)
            {
                await node.DisposeAsync();
            }
        }

        return phases;
    }

    private Task<ClusterNodeProcess> StartNodeAsync(int index, int port, int seedPort, int minMembers) =>
        ClusterNodeProcess.StartAsync(
            new NodePlan(pki.Directory, endpoints, fleetPort, port, seedPort, minMembers, replicate, Path.Combine(scratch, $"node-{Mode}-{index}.json")),
            Path.Combine(scratch, $"node-{Mode}-{index}.plan.json"));

    private async Task<ClusterPhase> ColdAsync()
    {
        // The trigger is the moment every master has started Switchboard (the cluster reached all its members).
        await Until(() => _nodes.All(n => n.Snapshot() is { Started: true }), "every master up");
        var start = await BaselineAsync();
        var clock = Stopwatch.StartNew();
        var done = await Until(() => Sum(_nodes, s => s.Connected) == endpoints, "cold connect", throwOnTimeout: false);
        log.WriteLine($"cluster[{Mode}] cold: {Sum(_nodes, s => s.Connected)}/{endpoints} connected in {clock.Elapsed.TotalSeconds:F1} s");
        return await PhaseAsync("cold", start, done ? clock.Elapsed.TotalSeconds : null, null, null, null, moved: 0, resumedAfterMove: 0);
    }

    /// <summary>Every link up and nothing happening: what the cluster itself costs (gossip, heartbeats, the agents' heartbeats).</summary>
    private async Task<ClusterPhase> QuietAsync()
    {
        var start = await BaselineAsync();
        await Task.Delay(Quiet);
        log.WriteLine($"cluster[{Mode}] quiet: {Sum(_nodes, s => s.Connected)}/{endpoints} connected after {Quiet.TotalSeconds:F0} s");
        return await PhaseAsync("quiet", start, Quiet.TotalSeconds, null, null, null, moved: 0, resumedAfterMove: 0);
    }

    private async Task<ClusterPhase> KillAsync()
    {
        var victim = killOldest ? _nodes.FirstOrDefault(n => n.Snapshot() is { Oldest: true }) ?? _nodes[0] : _nodes.Last(n => n.Snapshot() is not { Oldest: true });
        var survivors = _nodes.Where(n => n != victim).ToList();
        var moved = victim.Snapshot()?.Endpoints ?? 0;
        var heldBefore = Sum(survivors, s => s.Endpoints);
        var resumedOnlyBefore = Sum(survivors, s => s.ResumedOnly);
        var start = await BaselineAsync();
        var killedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var clock = Stopwatch.StartNew();
        victim.Kill();
        double? rehomed = null;
        var done = await Until(() =>
        {
            rehomed ??= Sum(survivors, s => s.Endpoints) > heldBefore ? clock.Elapsed.TotalSeconds : null;
            return Sum(survivors, s => s.Connected) == endpoints;
        }, "failover", throwOnTimeout: false);
        var elapsed = clock.Elapsed.TotalSeconds;
        var snapshots = survivors.Select(n => n.Snapshot()).ToArray();
        double? Since(long at) => at > 0 ? (at - killedAt) / 1000.0 : null;
        var unreachable = snapshots.Where(s => s is { UnreachableAtMs: > 0 }).Select(s => s!.UnreachableAtMs).DefaultIfEmpty(0).Min();
        var downed = snapshots.Where(s => s is { RemovedAtMs: > 0 }).Select(s => s!.RemovedAtMs).DefaultIfEmpty(0).Min();
        var resumed = Sum(survivors, s => s.ResumedOnly) - resumedOnlyBefore;
        _nodes.Remove(victim);
        await victim.DisposeAsync();
        log.WriteLine($"cluster[{Mode}] kill ({(killOldest ? "the oldest master" : "a master that is not the oldest")}): {moved} endpoints moved, all connected after {elapsed:F1} s, {resumed} resumed after the move");
        return await PhaseAsync("kill", start, done ? elapsed : null, Since(unreachable), Since(downed), rehomed, moved, resumed);
    }

    private async Task<ClusterPhase> RejoinAsync()
    {
        var start = await BaselineAsync();
        var clock = Stopwatch.StartNew();
        // A new process on a new port, joining through a survivor: the dead master's address may have been the seed.
        var rejoined = await StartNodeAsync(nodes, FleetProcess.FreePort(), _nodes[0].Plan.Port, 1);
        _nodes.Add(rejoined);
        // Settled: the new master holds a fair share's worth (least-shard allocation balances shard counts) and nothing moved for 3 s.
        var share = endpoints / nodes * 8 / 10;
        var lastHeld = -1;
        var stableSince = TimeSpan.Zero;
        var done = await Until(() =>
        {
            var held = rejoined.Snapshot()?.Endpoints ?? 0;
            if (held != lastHeld)
            {
                lastHeld = held;
                stableSince = clock.Elapsed;
            }

            return held >= share && Sum(_nodes, s => s.Connected) == endpoints && clock.Elapsed - stableSince >= Settle;
        }, "rebalance", throwOnTimeout: false);
        var snapshot = rejoined.Snapshot();
        var elapsed = (done ? stableSince : clock.Elapsed).TotalSeconds;
        log.WriteLine($"cluster[{Mode}] rejoin: the restarted master holds {snapshot?.Endpoints ?? 0} endpoints after {elapsed:F1} s, {snapshot?.ResumedOnly ?? 0} resumed after the move");
        return await PhaseAsync("rejoin", start, done ? elapsed : null, null, null, null, snapshot?.Endpoints ?? 0, snapshot?.ResumedOnly ?? 0);
    }

    private async Task<(Dictionary<int, double> Cpu, double FleetCpu, Dictionary<int, NodeSnapshot?> Snapshots, long AtMs, Dictionary<string, long>? Remoting)> BaselineAsync() =>
        (_nodes.ToDictionary(n => n.Pid, n => n.CpuSeconds()), FleetCpu(), _nodes.ToDictionary(n => n.Pid, n => n.Snapshot()), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            await RemotingTraffic.BytesAsync(_nodes.Select(n => n.Plan.Port)));

    private async Task<ClusterPhase> PhaseAsync(string name, (Dictionary<int, double> Cpu, double FleetCpu, Dictionary<int, NodeSnapshot?> Snapshots, long AtMs, Dictionary<string, long>? Remoting) start,
        double? seconds, double? unreachable, double? downed, double? rehomed, int moved, int resumedAfterMove)
    {
        long Delta(Func<NodeSnapshot, long> value) => _nodes.Sum(n =>
            (n.Snapshot() is { } now ? value(now) : 0) - (start.Snapshots.GetValueOrDefault(n.Pid) is { } then ? value(then) : 0));
        var remoting = await RemotingTraffic.BytesAsync(_nodes.Select(n => n.Plan.Port));
        if (replicate)
        {
            // What each moved endpoint's register read found: hit (resumes), miss, foreign (another PKI), failed (timed out).
            var reads = string.Join(", ", new[] { "hit", "miss", "foreign", "failed" }.Select(r => $"{r} {Delta(s => s.Meters.GetValueOrDefault("reads." + r))}"));
            log.WriteLine($"cluster[{Mode}] {name}: register reads: {reads}");
        }

        var latencies = _nodes.SelectMany(n => n.StatusLatencies(start.AtMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())).Order().ToList();
        long Replica(NodeSnapshot s, string prefix) => s.Meters.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(kv => kv.Value);
        return new ClusterPhase(
            Mode, name, endpoints, Sum(_nodes, s => s.Connected), seconds, unreachable, downed, rehomed, moved, resumedAfterMove,
            Delta(s => s.Meters.GetValueOrDefault("handshakes.full")),
            Delta(s => s.Meters.GetValueOrDefault("handshakes.resumed")),
            [.. _nodes.Select(n => n.CpuSeconds() - start.Cpu.GetValueOrDefault(n.Pid))],
            FleetCpu() - start.FleetCpu,
            [.. _nodes.Select(n => n.RssBytes() / 1048576.0)],
            Delta(s => Replica(s, "writes.")), Delta(s => Replica(s, "writes.timeout")), Delta(s => Replica(s, "written")), Delta(s => Replica(s, "reads.")),
            RemotingTraffic.Delta(start.Remoting, remoting),
            latencies.Count,
            latencies.Count == 0 ? 0 : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(latencies.Count * 0.99) - 1)]);
    }

    private double FleetCpu() => fleetPids.Sum(pid => ClusterNodeProcess.CpuSecondsOf(pid) ?? 0);

    private static int Sum(IEnumerable<ClusterNodeProcess> nodes, Func<NodeSnapshot, int> value) => nodes.Sum(n => n.Snapshot() is { } s ? value(s) : 0);

    private async Task<bool> Until(Func<bool> condition, string what, bool throwOnTimeout = true)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > limit)
            {
                log.WriteLine($"cluster[{Mode}]: {what} did not finish within {limit.TotalSeconds:F0} s");
                return throwOnTimeout ? throw new TimeoutException($"{what} did not finish within {limit.TotalSeconds:F0} s") : false;
            }

            if (_nodes.Any(n => n.HasExited) && what != "failover")
            {
                throw new InvalidOperationException($"a master process exited during {what}");
            }

            await Task.Delay(Poll);
        }

        return true;
    }
}
