using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Switchboard.Cluster;
using Switchboard.Configuration;
using Switchboard.Testing.Cluster;
using Switchboard.Testing.Fleet;
using Switchboard.Tests.Support;
using Xunit.Abstractions;
using AkkaCluster = Akka.Cluster.Cluster;

namespace Switchboard.Tests.Cluster;

/// <summary>
/// Three masters as three actor systems in this process, clustered over loopback with mutual TLS, and 300
/// agents. Every agent is linked by exactly one master (counted at the agents). One master that is not the
/// oldest dies without leaving: the split-brain resolver downs it, its endpoints start again on the
/// survivors, and every agent is linked again, once, within the bound the settings give; no agent ever
/// holds two links. With replicated sessions the moved endpoints resume on their new masters; without,
/// none can.
/// </summary>
[Collection(Stress.StressCollection.Name)]
[Trait("Category", "Stress")]
public sealed class ClusterFailoverSpec(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Agents = 300;
    private const int Masters = 3;

    // Heartbeat pause + stable-after (the downing), then backoff max + handshake timeout for the reconnect.
    private static readonly TimeSpan FailoverBound = TimeSpan.FromSeconds(20);

    private AgentFleet _fleet = null!;

    public async Task InitializeAsync() => _fleet = await AgentFleet.StartAsync(Stress.StressPki.Layout, Agents, port: 0);

    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_dead_masters_endpoints_move_to_the_survivors_and_every_agent_stays_linked_once(bool replicateSessions)
    {
        await using var masters = new LocalCluster(Stress.StressPki.Layout, _fleet.Endpoints(), replicateSessions);
        await masters.AddNodesAsync(Masters);

        using var watch = new LinkWatch(_fleet);
        var clock = Stopwatch.StartNew();
        await Eventually.AssertAsync(() => Assert.All(_fleet.LinksPerAgent(), links => Assert.Equal(1, links)), TimeSpan.FromSeconds(60));
        output.WriteLine($"all {Agents} agents linked once after {clock.Elapsed.TotalSeconds:0.0} s");

        // Any node answers for the whole cluster, per node and in total.
        await Eventually.AssertAsync(async () =>
        {
            var cluster = await masters.ClusterStatusAsync(masters.Systems[^1]);
            Assert.Equal(Masters, cluster.Nodes.Length);
            Assert.All(cluster.Nodes, node => Assert.True(node.Reachable && node.Connected > 0, node.ToString()));
            Assert.Equal(Agents, cluster.Endpoints);
            Assert.Equal(Agents, cluster.Connected);
        }, TimeSpan.FromSeconds(10));

        // The youngest master dies without leaving. Its endpoints, after a moment for their sessions to be
        // written (the flush interval), are the ones that move.
        var victim = masters.Systems[^1];
        await Task.Delay(TimeSpan.FromSeconds(1));
        var moved = (await masters.EndpointsOnAsync(victim)).Keys.ToArray();
        Assert.True(moved.Length > Agents / 10, $"the victim ran only {moved.Length} endpoints");
        clock.Restart();
        await masters.KillAsync(victim);
        await Eventually.AssertAsync(() => Assert.All(_fleet.LinksPerAgent(), links => Assert.Equal(1, links)), FailoverBound + TimeSpan.FromSeconds(10));
        var failover = clock.Elapsed;

        var survivors = await masters.ClusterStatusAsync(masters.Systems[0]);
        Assert.Equal(Masters - 1, survivors.Nodes.Length);
        Assert.Equal(Agents, survivors.Connected);
        var connected = await masters.ConnectedAsync();
        var resumed = moved.Count(name => connected.TryGetValue(name, out var status) && status.ResumedHandshakes > 0 && status.FullHandshakes == 0);
        output.WriteLine($"replication {(replicateSessions ? "on" : "off")}: every agent linked once again {failover.TotalSeconds:0.0} s after the master died; " +
                         $"{moved.Length} endpoints moved, {resumed} resumed on their new master; at most {watch.MostLinksOnOneAgent} links on one agent at any time");
        Assert.True(failover <= FailoverBound, $"failover took {failover.TotalSeconds:0.0} s (bound {FailoverBound.TotalSeconds} s)");
        Assert.Equal(1, watch.MostLinksOnOneAgent);
        if (replicateSessions)
        {
            Assert.True(resumed >= moved.Length * 95 / 100, $"{resumed} of {moved.Length} moved endpoints resumed");
        }
        else
        {
            Assert.Equal(0, resumed);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_oldest_masters_death_moves_its_endpoints_too(bool replicateSessions)
    {
        // The oldest runs the shard coordinator and the reconciler: both must move with its endpoints.
        await using var masters = new LocalCluster(Stress.StressPki.Layout, _fleet.Endpoints(), replicateSessions);
        await masters.AddNodesAsync(Masters);
        await Eventually.AssertAsync(() => Assert.All(_fleet.LinksPerAgent(), links => Assert.Equal(1, links)), TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(1));

        var victim = masters.Oldest();
        var moved = (await masters.EndpointsOnAsync(victim)).Count;
        var clock = Stopwatch.StartNew();
        await masters.KillAsync(victim);
        await Eventually.AssertAsync(() => Assert.All(_fleet.LinksPerAgent(), links => Assert.Equal(1, links)), FailoverBound + TimeSpan.FromSeconds(20));
        output.WriteLine($"replication {(replicateSessions ? "on" : "off")}: the oldest master's {moved} endpoints linked again {clock.Elapsed.TotalSeconds:0.0} s after it died");
    }

    /// <summary>Samples every agent's link count every 20 ms for as long as it lives, keeping the highest seen on any agent.</summary>
    private sealed class LinkWatch : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _sampling;
        private int _most;

        public LinkWatch(AgentFleet fleet) => _sampling = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var most = fleet.LinksPerAgent().Max();
                if (most > Volatile.Read(ref _most))
                {
                    Volatile.Write(ref _most, most);
                }

                try
                {
                    await Task.Delay(20, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });

        public int MostLinksOnOneAgent => Volatile.Read(ref _most);

        public void Dispose()
        {
            _stop.Cancel();
            _sampling.Wait(TimeSpan.FromSeconds(5));
            _stop.Dispose();
        }
    }
}
