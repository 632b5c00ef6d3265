using System.Diagnostics;
using Akka.Actor;
using Spectre.Console;
using Switchboard.Supervision;
using Switchboard.Testing.Cluster;
using Switchboard.Testing.Fleet;
using Switchboard.Testing.Pki;

namespace Switchboard.Cli.Demo;

/// <summary>
/// <c>demo --nodes N</c>: N masters in this process form a cluster (mutual TLS between them, sessions
/// replicated), spread a cold connect over themselves, lose one master without warning (its endpoints move
/// to the survivors and resume there), and take a new master in (rebalanced endpoints are handed off and
/// resume on it).
/// </summary>
internal sealed class ClusterDemoRun(PkiLayout pki, AgentFleet fleet, int nodes, TimeSpan phaseLimit)
{
    private readonly int _endpoints = fleet.Count;

    public async Task<IReadOnlyList<ClusterPhaseResult>> RunAsync(IAnsiConsole console)
    {
        var results = new List<ClusterPhaseResult>();
        using var failures = new FailureCounter();
        // The demo's own table says what happened; the masters' shutdown chatter (the last ones talk to the first gone) would bury it.
        var quiet = Akka.Configuration.ConfigurationFactory.ParseString("akka { loglevel = OFF, stdout-loglevel = OFF }");
        await using var cluster = new LocalCluster(pki, fleet.Endpoints(), replicateSessions: true, quiet);

        results.Add(await MeasureAsync(console, "cold", cluster, failures, moved: new HashSet<string>(), async () => await cluster.AddNodesAsync(nodes), _ => true));

        // Sessions reach a majority within the flush interval; then a master dies without leaving.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var victim = cluster.Systems[^1];
        var moved = (await cluster.EndpointsOnAsync(victim)).Keys.ToHashSet(StringComparer.OrdinalIgnoreCase);
        console.MarkupLine($"killing master {nodes} (no leave, no hand-off): its {moved.Count} endpoints must move");
        results.Add(await MeasureAsync(console, "kill", cluster, failures, moved, () => cluster.KillAsync(victim), _ => true));

        console.MarkupLine("a new master joins: shards are rebalanced to it, each moved endpoint handed off");
        ActorSystem? joined = null;
        results.Add(await MeasureAsync(console, "join", cluster, failures, moved: null,
            async () => joined = (await cluster.AddNodesAsync(1))[0],
            connected => joined is not null && connected.Values.Count(e => Equals(e.Node, joined)) >= _endpoints / (nodes * 2)));
        return results;
    }

    /// <param name="moved">The endpoints that move in this phase; null = those that end up on the newest node.</param>
    /// <param name="settled">Beyond every endpoint connected, what ends the phase.</param>
    private async Task<ClusterPhaseResult> MeasureAsync(IAnsiConsole console, string phase, LocalCluster cluster, FailureCounter failures,
        IReadOnlySet<string>? moved, Func<Task> trigger, Func<IReadOnlyDictionary<string, Located>, bool> settled)
    {
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var failures0 = failures.Failures;
        var timeouts0 = failures.Timeouts;
        var before = await LocateAsync(cluster);
        var stopwatch = Stopwatch.StartNew();
        await trigger();
        var connected = before;
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"{phase,-9}", maxValue: _endpoints);
                while (stopwatch.Elapsed < phaseLimit)
                {
                    connected = await LocateAsync(cluster);
                    task.Value = connected.Count;
                    task.Description = $"{phase,-9} {connected.Count,5}/{_endpoints} connected on {cluster.Systems.Count} masters";
                    if (connected.Count == _endpoints && settled(connected))
                    {
                        break;
                    }

                    await Task.Delay(200);
                }

                task.StopTask();
            });

        var elapsed = stopwatch.Elapsed;
        var newest = cluster.Systems[^1];
        var movers = moved ?? connected.Where(e => Equals(e.Value.Node, newest) && before.TryGetValue(e.Key, out var was) && !Equals(was.Node, newest))
            .Select(e => e.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var full = 0L;
        var resumed = 0L;
        var resumedAfterMove = 0;
        foreach (var (name, now) in connected)
        {
            // A handshake happened in this phase where the endpoint's counters grew, or it is new on its node.
            var earlier = before.TryGetValue(name, out var was) && Equals(was.Node, now.Node) ? was.Status : null;
            full += now.Status.FullHandshakes - (earlier?.FullHandshakes ?? 0);
            resumed += now.Status.ResumedHandshakes - (earlier?.ResumedHandshakes ?? 0);
            resumedAfterMove += movers.Contains(name) && earlier is null && now.Status.ResumedHandshakes > 0 && now.Status.FullHandshakes == 0 ? 1 : 0;
        }

        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        return new ClusterPhaseResult(phase, cluster.Systems.Count, _endpoints, connected.Count, elapsed, full, resumed, movers.Count, resumedAfterMove,
            failures.Timeouts - timeouts0, failures.Failures - failures0, cpu);
    }

    private static async Task<IReadOnlyDictionary<string, Located>> LocateAsync(LocalCluster cluster)
    {
        var located = new Dictionary<string, Located>(StringComparer.OrdinalIgnoreCase);
        foreach (var node in cluster.Systems)
        {
            foreach (var (name, status) in await cluster.EndpointsOnAsync(node))
            {
                if (status.State == EndpointState.Connected)
                {
                    located[name] = new Located(node, status);
                }
            }
        }

        return located;
    }

    private sealed record Located(ActorSystem Node, EndpointStatus Status);
}

/// <summary>One row of <c>demo --nodes</c>'s table.</summary>
internal sealed record ClusterPhaseResult(
    string Phase,
    int Masters,
    int Endpoints,
    int Connected,
    TimeSpan Elapsed,
    long FullHandshakes,
    long ResumedHandshakes,
    int Moved,
    int ResumedAfterMove,
    long Timeouts,
    long Failures,
    double CpuSeconds);
