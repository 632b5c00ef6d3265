using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Switchboard.Cluster;
using Switchboard.Configuration;
using Switchboard.Testing.Fleet;
using Switchboard.Tests.Support;
using Xunit.Abstractions;
using AkkaCluster = Akka.Cluster.Cluster;

namespace Switchboard.Tests.Cluster;

/// <summary>
/// Three masters as three actor systems in this process, clustered over loopback, and 300 agents. Every
/// agent is linked by exactly one master (counted at the agents). One master that is not the oldest dies
/// without leaving: the split-brain resolver downs it, its endpoints start again on the survivors, and
/// every agent is linked again, once, within the bound the settings give; no agent ever holds two links.
/// </summary>
[Collection(Stress.StressCollection.Name)]
[Trait("Category", "Stress")]
public sealed class ClusterFailoverSpec(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Agents = 300;
    private const int Masters = 3;

    // Heartbeat pause + stable-after (the downing), then backoff max + handshake timeout for the reconnect.
    private static readonly TimeSpan FailoverBound = TimeSpan.FromSeconds(20);

    private readonly List<ActorSystem> _masters = [];
    private AgentFleet _fleet = null!;

    public async Task InitializeAsync() => _fleet = await AgentFleet.StartAsync(Stress.StressPki.Layout, Agents, port: 0);

    public async Task DisposeAsync()
    {
        foreach (var master in _masters)
        {
            await master.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
        }

        await _fleet.DisposeAsync();
    }

    [Fact]
    public async Task A_dead_masters_endpoints_move_to_the_survivors_and_every_agent_stays_linked_once()
    {
        for (var i = 0; i < Masters; i++)
        {
            _masters.Add(ActorSystem.Create("switchboard-masters", NodeConfig()));
        }

        var seed = AkkaCluster.Get(_masters[0]).SelfAddress;
        foreach (var master in _masters)
        {
            AkkaCluster.Get(master).Join(seed);
        }

        await Eventually.AssertAsync(() => Assert.All(_masters, m => Assert.Equal(Masters, AkkaCluster.Get(m).State.Members.Count(x => x.Status == Akka.Cluster.MemberStatus.Up))), TimeSpan.FromSeconds(30));
        foreach (var master in _masters)
        {
            var settings = SettingsLoader.Load(master.Settings.Config) with { Endpoints = [.. _fleet.Endpoints()] };
            SwitchboardCluster.Start(master, settings);
        }

        using var watch = new LinkWatch(_fleet);
        var clock = Stopwatch.StartNew();
        await Eventually.AssertAsync(() => Assert.All(_fleet.LinksPerAgent(), links => Assert.Equal(1, links)), TimeSpan.FromSeconds(60));
        output.WriteLine($"all {Agents} agents linked once after {clock.Elapsed.TotalSeconds:0.0} s");

        // The youngest master dies without leaving: no Leave, its ActorSystem simply stops.
        var victim = _masters[^1];
        _masters.Remove(victim);
        clock.Restart();
        await victim.Terminate();
        await Eventually.AssertAsync(() => Assert.All(_fleet.LinksPerAgent(), links => Assert.Equal(1, links)), FailoverBound + TimeSpan.FromSeconds(10));
        var failover = clock.Elapsed;
        output.WriteLine($"every agent linked once again {failover.TotalSeconds:0.0} s after the master died; at most {watch.MostLinksOnOneAgent} links on one agent at any time");
        Assert.True(failover <= FailoverBound, $"failover took {failover.TotalSeconds:0.0} s (bound {FailoverBound.TotalSeconds} s)");
        Assert.Equal(1, watch.MostLinksOnOneAgent);
    }

    private static Config NodeConfig() => ConfigurationFactory.ParseString($$"""
        akka {
          loglevel = WARNING
          remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
          # Dies like a killed process: no coordinated shutdown, so no Leave.
          coordinated-shutdown.run-by-actor-system-terminate = off
          cluster {
            failure-detector { heartbeat-interval = 500ms, acceptable-heartbeat-pause = 3s }
            split-brain-resolver.stable-after = 3s
          }
        }
        switchboard {
          tls {
            ca = "{{Stress.StressPki.Layout.CaCertificate}}"
            certificate = "{{Stress.StressPki.Layout.MasterCertificate}}"
            private-key = "{{Stress.StressPki.Layout.MasterKey}}"
          }
          io.actors = 1
          connection { handshake-timeout = 3s, connect-timeout = 3s }
          backoff { min = 100ms, max = 2s }
          cluster.reconcile-interval = 2s
        }
        """)
        .WithFallback(SwitchboardCluster.DefaultConfig)
        .WithFallback(SettingsLoader.LoadReference());

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
