using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using Akka.DistributedData;
using Switchboard.Configuration;
using Switchboard.Resumption;

namespace Switchboard.Cluster;

/// <summary>
/// Switchboard on a node of an Akka.Cluster of masters. Every node runs the same configuration; the
/// endpoints become sharded entities (entity id = endpoint name, shard = a hash of it into
/// <c>switchboard.cluster.max-shards</c>), so each endpoint runs on exactly one node and each agent is
/// linked once. When a node dies, the split-brain resolver downs it and its endpoints' remembered
/// entities start again on the survivors, which connect them. The node's own link machinery is the
/// single-node <see cref="SwitchboardRuntime"/>, unchanged, started with no endpoints of its own.
/// </summary>
public sealed class SwitchboardCluster
{
    /// <summary>The sharded entity type's name.</summary>
    public const string TypeName = "switchboard-endpoint";

    private readonly EndpointDirectory _directory;

    private readonly IActorRef _status;

    private SwitchboardCluster(SwitchboardRuntime runtime, IActorRef region, EndpointDirectory directory, IActorRef status)
    {
        _status = status;
        Runtime = runtime;
        Region = region;
        _directory = directory;
    }

    /// <summary>This node's runtime: its supervisor answers status for the endpoints running here.</summary>
    public SwitchboardRuntime Runtime { get; }

    /// <summary>The shard region: a <c>ShardingEnvelope</c> reaches an endpoint's entity wherever it runs.</summary>
    public IActorRef Region { get; }

    /// <summary>Akka's cluster settings Switchboard.Cluster needs (provider, downing, sharding); put them behind the application's config.</summary>
    public static Config DefaultConfig { get; } = LoadDefaults();

    /// <summary>Starts this node's part: the runtime, the shard region, and the reconciling singleton.</summary>
    public static SwitchboardCluster Start(ActorSystem system, SwitchboardSettings settings, string name = "switchboard")
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(settings);
        var cluster = settings.Cluster ?? ClusterSettings.Default;
        if (cluster.ReplicateSessions)
        {
            RemotingTls.RequireMutualTls(system);
        }

        var runtime = SwitchboardRuntime.Start(system, settings with { Endpoints = [] }, name);
        var directory = new EndpointDirectory(settings.Endpoints);
        EndpointEntity.SessionReplication? replication = null;
        if (cluster.ReplicateSessions && runtime.Cache is { } cache)
        {
            var replicator = system.ActorOf(SessionReplicator.Props(cluster), $"{name}-session-replicator");
            cache.Tell(new ResumptionCacheActor.ReplicateTo(replicator));
            replication = new EndpointEntity.SessionReplication(cache, DistributedData.Get(system).Replicator, replicator, cluster.Timeout);
        }

        var sharding = ClusterSharding.Get(system);
        var shardingSettings = ClusterShardingSettings.Create(system);
        var region = sharding.Start(
            TypeName,
            entityId => EndpointEntity.Props(entityId, directory, runtime, replication),
            shardingSettings,
            new EndpointShards(cluster.MaxShards),
            sharding.DefaultShardAllocationStrategy(shardingSettings),
            EndpointEntity.HandOff.Instance);
        system.ActorOf(
            ClusterSingletonManager.Props(
                EndpointReconciler.Props(region, directory, cluster.ReconcileInterval),
                PoisonPill.Instance,
                ClusterSingletonManagerSettings.Create(system)),
            $"{name}-reconciler");
        var status = system.ActorOf(ClusterStatus.Props(runtime.Supervisor, name), ClusterStatus.ActorName(name));
        return new SwitchboardCluster(runtime, region, directory, status);
    }

    /// <summary>This node's cluster status actor: answers <see cref="GetClusterStatus"/>.</summary>
    public IActorRef StatusActor => _status;

    /// <summary>Status for the whole cluster, from this node: every Up member's figures (an unanswered one is marked unreachable).</summary>
    public Task<ClusterStatusReport> GetStatusAsync(TimeSpan timeout) =>
        _status.Ask<ClusterStatusReport>(new GetClusterStatus(timeout), timeout + TimeSpan.FromSeconds(5));

    /// <summary>A reload: new endpoints start within one reconcile interval, removed ones are retired.</summary>
    public void ReplaceEndpoints(IEnumerable<EndpointSettings> endpoints) => _directory.Replace(endpoints);

    /// <summary>
    /// SIGHUP on a node: the endpoint list (every node reads the same file; the singleton acts on it) and
    /// this node's TLS material. Returns why the new TLS material was refused (the old stays), or null.
    /// </summary>
    public string? Reload(SwitchboardSettings next)
    {
        ArgumentNullException.ThrowIfNull(next);
        ReplaceEndpoints(next.Endpoints);
        return Runtime.Reload(next.Tls);
    }

    /// <summary>True when the configuration asks for a cluster (<c>akka.actor.provider = cluster</c>).</summary>
    public static bool IsClustered(Config config) =>
        string.Equals(config?.GetString("akka.actor.provider", "local"), "cluster", StringComparison.OrdinalIgnoreCase);

    private static Config LoadDefaults()
    {
        using var stream = typeof(SwitchboardCluster).Assembly.GetManifestResourceStream("Switchboard.Cluster.cluster.conf")
                           ?? throw new InvalidOperationException("Switchboard.Cluster.cluster.conf is not embedded");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd())
            .WithFallback(ClusterSharding.DefaultConfig())
            .WithFallback(ClusterSingleton.DefaultConfig());
    }

    /// <summary>
    /// Entity id = the endpoint's name in lower case; shard = its hash, the same on every node. Only
    /// <c>ShardingEnvelope</c> and <c>StartEntity</c> are sent, which the base class unwraps itself.
    /// </summary>
    private sealed class EndpointShards(int maxShards) : HashCodeMessageExtractor(maxShards)
    {
        public override string? EntityId(object message) => null;
    }
}
