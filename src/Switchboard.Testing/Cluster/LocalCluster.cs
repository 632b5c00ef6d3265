using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Switchboard.Cluster;
using Switchboard.Configuration;
using Switchboard.Supervision;
using Switchboard.Testing.Pki;
using AkkaCluster = Akka.Cluster.Cluster;

namespace Switchboard.Testing.Cluster;

/// <summary>
/// Masters as actor systems in one process, clustered over loopback with mutual TLS between them (the
/// master's own certificate, verified against the PKI's CA), each running Switchboard.Cluster over the same
/// endpoint list. Failure detection and downing are tuned for loopback (a dead node is downed in about 6 s),
/// so a demo or a test sees a failover in seconds. Shared by <c>demo --nodes</c>, the cluster specs and the
/// benchmark.
/// </summary>
public sealed class LocalCluster(PkiLayout pki, IReadOnlyList<EndpointSettings> endpoints, bool replicateSessions, Config? extra = null) : IAsyncDisposable
{
    private static readonly TimeSpan UpLimit = TimeSpan.FromSeconds(30);
    private readonly List<(ActorSystem System, SwitchboardCluster Switchboard)> _nodes = [];

    public IReadOnlyList<ActorSystem> Systems => [.. _nodes.Select(n => n.System)];

    /// <summary>
    /// Starts <paramref name="count"/> nodes, joins them to the first node (or to each other), and starts
    /// Switchboard on them once every member is up, so no endpoint ran anywhere else first.
    /// </summary>
    /// <exception cref="TimeoutException">The members were not all up within 30 s.</exception>
    public async Task<IReadOnlyList<ActorSystem>> AddNodesAsync(int count)
    {
        var added = new List<(ActorSystem System, SwitchboardSettings Settings)>();
        for (var i = 0; i < count; i++)
        {
            var config = NodeConfig();
            var settings = SettingsLoader.Load(config) with { Endpoints = [.. endpoints] };
            var setup = ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(config), RemotingTls.Setup(settings.Tls));
            added.Add((ActorSystem.Create("switchboard-masters", setup), settings));
        }

        var seed = AkkaCluster.Get(_nodes.Count > 0 ? _nodes[0].System : added[0].System).SelfAddress;
        foreach (var (system, _) in added)
        {
            AkkaCluster.Get(system).Join(seed);
        }

        var members = _nodes.Count + count;
        var deadline = DateTime.UtcNow + UpLimit;
        while (!added.All(node => AkkaCluster.Get(node.System).State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up) == members))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the cluster did not reach {members} members up within {UpLimit.TotalSeconds} s");
            }

            await Task.Delay(100);
        }

        foreach (var (system, settings) in added)
        {
            _nodes.Add((system, SwitchboardCluster.Start(system, settings)));
        }

        return [.. added.Select(n => n.System)];
    }

    /// <summary>The node that is the cluster's oldest member: where the singletons (the shard coordinator, the reconciler) run.</summary>
    public ActorSystem Oldest()
    {
        var oldest = AkkaCluster.Get(_nodes[0].System).State.Members
            .Where(m => m.Status == Akka.Cluster.MemberStatus.Up)
            .OrderBy(m => m, Akka.Cluster.Member.AgeOrdering)
            .First();
        return _nodes.Single(n => AkkaCluster.Get(n.System).SelfAddress == oldest.Address).System;
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
        var status = await Node(node).Runtime.Supervisor.Ask<StatusReport>(GetStatus.Instance, TimeSpan.FromSeconds(10));
        return status.Endpoints.ToDictionary(e => e.Name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The whole cluster's status as the node given answers it.</summary>
    public Task<ClusterStatusReport> ClusterStatusAsync(ActorSystem node) => Node(node).GetStatusAsync(TimeSpan.FromSeconds(5));

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

        _nodes.Clear();
    }

    private SwitchboardCluster Node(ActorSystem node) => _nodes.Single(n => n.System == node).Switchboard;

    private Config NodeConfig()
    {
        var tuned = ConfigurationFactory.ParseString($$"""
            akka {
              loglevel = WARNING
              remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0, enable-ssl = on }
              # A kill is a crash: no coordinated shutdown, so no Leave.
              coordinated-shutdown.run-by-actor-system-terminate = off
              cluster {
                failure-detector { heartbeat-interval = 500ms, acceptable-heartbeat-pause = 3s }
                split-brain-resolver.stable-after = 3s
                sharding.least-shard-allocation-strategy { rebalance-absolute-limit = 100, rebalance-relative-limit = 1.0 }
                sharding.rebalance-interval = 2s
              }
            }
            switchboard {
              io.actors = 1
              connection { handshake-timeout = 3s, connect-timeout = 3s }
              backoff { min = 100ms, max = 2s }
              cluster {
                reconcile-interval = 2s
                replicate-sessions = {{(replicateSessions ? "on" : "off")}}
                replication.flush-interval = 200ms
              }
            }
            """);
        return (extra ?? Config.Empty).WithFallback(tuned).WithFallback(pki.MasterTlsConfig())
            .WithFallback(SwitchboardCluster.DefaultConfig)
            .WithFallback(SettingsLoader.LoadReference());
    }
}
