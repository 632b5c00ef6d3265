using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Switchboard.Cluster;
using Switchboard.Configuration;
using Switchboard.Supervision;
using Switchboard.Testing.Fleet;
using Switchboard.Testing.Pki;
using Switchboard.Tests.Support;
using AkkaCluster = Akka.Cluster.Cluster;

namespace Switchboard.Tests.Cluster;

/// <summary>
/// Masters as actor systems in this process, clustered over loopback with mutual TLS between them (the
/// master's own certificate, verified against Switchboard's CA), each running Switchboard.Cluster against
/// one agent fleet.
/// </summary>
internal sealed class ClusterMasters(AgentFleet fleet, PkiLayout pki, bool replicateSessions) : IAsyncDisposable
{
    private readonly List<(ActorSystem System, SwitchboardCluster Switchboard)> _nodes = [];

    public IReadOnlyList<ActorSystem> Systems => [.. _nodes.Select(n => n.System)];

    /// <summary>
    /// Starts <paramref name="count"/> nodes, joins them to the first node (or to each other), and starts
    /// Switchboard on them once every member is up, so no endpoint ran anywhere else first.
    /// </summary>
    public async Task<IReadOnlyList<ActorSystem>> AddNodesAsync(int count)
    {
        var added = new List<(ActorSystem System, SwitchboardSettings Settings)>();
        for (var i = 0; i < count; i++)
        {
            var config = NodeConfig();
            var settings = SettingsLoader.Load(config) with { Endpoints = [.. fleet.Endpoints()] };
            var setup = ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(config), RemotingTls.Setup(settings.Tls));
            added.Add((ActorSystem.Create("switchboard-masters", setup), settings));
        }

        var seed = AkkaCluster.Get(_nodes.Count > 0 ? _nodes[0].System : added[0].System).SelfAddress;
        foreach (var (system, _) in added)
        {
            AkkaCluster.Get(system).Join(seed);
        }

        var members = _nodes.Count + count;
        await Eventually.AssertAsync(
            () => Assert.All(added, node => Assert.Equal(members, AkkaCluster.Get(node.System).State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up))),
            TimeSpan.FromSeconds(30));
        foreach (var (system, settings) in added)
        {
            _nodes.Add((system, SwitchboardCluster.Start(system, settings)));
        }

        return [.. added.Select(n => n.System)];
    }

    /// <summary>Kills a node as a crash would: no Leave, no hand-off, its links simply close.</summary>
    public async Task KillAsync(ActorSystem victim)
    {
        _nodes.RemoveAll(n => n.System == victim);
        await victim.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>The status of every endpoint, by name, on the node given.</summary>
    public async Task<IReadOnlyDictionary<string, EndpointStatus>> EndpointsOnAsync(ActorSystem node)
    {
        var switchboard = _nodes.Single(n => n.System == node).Switchboard;
        var status = await switchboard.Runtime.Supervisor.Ask<StatusReport>(GetStatus.Instance, TimeSpan.FromSeconds(10));
        return status.Endpoints.ToDictionary(e => e.Name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The whole cluster's status as the node given answers it.</summary>
    public Task<ClusterStatusReport> ClusterStatusAsync(ActorSystem node) =>
        _nodes.Single(n => n.System == node).Switchboard.GetStatusAsync(TimeSpan.FromSeconds(5));

    /// <summary>Every endpoint connected on any live node, with its status there.</summary>
    public async Task<IReadOnlyDictionary<string, EndpointStatus>> ConnectedAsync()
    {
        var all = new Dictionary<string, EndpointStatus>(StringComparer.OrdinalIgnoreCase);
        foreach (var (system, _) in _nodes)
        {
            foreach (var (name, status) in await EndpointsOnAsync(system))
            {
                if (status.State == EndpointState.Connected)
                {
                    all[name] = status;
                }
            }
        }

        return all;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (system, _) in _nodes)
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    private Config NodeConfig() => ConfigurationFactory.ParseString($$"""
        akka {
          loglevel = WARNING
          remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0, enable-ssl = on }
          # Dies like a killed process: no coordinated shutdown, so no Leave.
          coordinated-shutdown.run-by-actor-system-terminate = off
          cluster {
            failure-detector { heartbeat-interval = 500ms, acceptable-heartbeat-pause = 3s }
            split-brain-resolver.stable-after = 3s
            sharding.least-shard-allocation-strategy { rebalance-absolute-limit = 100, rebalance-relative-limit = 1.0 }
            sharding.rebalance-interval = 2s
          }
        }
        switchboard {
          tls {
            ca = "{{pki.CaCertificate}}"
            certificate = "{{pki.MasterCertificate}}"
            private-key = "{{pki.MasterKey}}"
          }
          io.actors = 1
          connection { handshake-timeout = 3s, connect-timeout = 3s }
          backoff { min = 100ms, max = 2s }
          cluster {
            reconcile-interval = 2s
            replicate-sessions = {{(replicateSessions ? "on" : "off")}}
            replication.flush-interval = 200ms
          }
        }
        """)
        .WithFallback(SwitchboardCluster.DefaultConfig)
        .WithFallback(SettingsLoader.LoadReference());
}
