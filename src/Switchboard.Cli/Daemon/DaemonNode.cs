using Akka.Actor;
using Akka.Actor.Setup;
using Switchboard.Cluster;
using Switchboard.Configuration;

namespace Switchboard.Cli.Daemon;

/// <summary>
/// What <c>connect</c> runs: the single-node runtime, or, when the configuration asks for a cluster
/// (<c>akka.actor.provider = cluster</c>, seed nodes and remoting address in the same file), this node of a
/// Switchboard cluster, whose endpoints are spread over the masters.
/// </summary>
internal sealed class DaemonNode
{
    private static readonly TimeSpan ClusterStatusTimeout = TimeSpan.FromSeconds(2);

    private DaemonNode(SwitchboardRuntime runtime, SwitchboardCluster? cluster)
    {
        Runtime = runtime;
        Cluster = cluster;
    }

    public SwitchboardRuntime Runtime { get; }

    public SwitchboardCluster? Cluster { get; }

    /// <summary>The Akka config the daemon's system runs with: the file, the daemon's defaults, and the cluster's when clustered.</summary>
    public static Akka.Configuration.Config SystemConfig(Akka.Configuration.Config file)
    {
        var config = file.WithFallback(SettingsLoader.DaemonAkkaDefaults());
        return (SwitchboardCluster.IsClustered(file) ? config.WithFallback(SwitchboardCluster.DefaultConfig) : config)
            .WithFallback(SettingsLoader.LoadReference());
    }

    /// <summary>A cluster node's name for its metrics (the remoting host:port it is configured with); null on a single node.</summary>
    public static string? NodeName(Akka.Configuration.Config file)
    {
        if (!SwitchboardCluster.IsClustered(file))
        {
            return null;
        }

        const string tcp = "akka.remote.dot-netty.tcp";
        var host = file.GetString($"{tcp}.public-hostname", null) is { Length: > 0 } @public ? @public : file.GetString($"{tcp}.hostname", "localhost");
        return $"{host}:{file.GetInt($"{tcp}.port", 0)}";
    }

    /// <summary>With replicated sessions, remoting runs mutual TLS on the master's own certificate.</summary>
    public static Setup? RemotingSetup(Akka.Configuration.Config file, SwitchboardSettings settings) =>
        SwitchboardCluster.IsClustered(file) && settings.Cluster is { ReplicateSessions: true } ? RemotingTls.Setup(settings.Tls) : null;

    public static DaemonNode Start(ActorSystem system, SwitchboardSettings settings) =>
        SwitchboardCluster.IsClustered(system.Settings.Config) && SwitchboardCluster.Start(system, settings) is { } cluster
            ? new DaemonNode(cluster.Runtime, cluster)
            : new DaemonNode(SwitchboardRuntime.Start(system, settings), null);

    /// <summary>The whole cluster's figures, or null on a single node (or when no member answered in time).</summary>
    public async Task<ClusterStatusReport?> ClusterStatusAsync()
    {
        if (Cluster is null)
        {
            return null;
        }

        try
        {
            return await Cluster.GetStatusAsync(ClusterStatusTimeout);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>SIGHUP: returns the TLS problem (old material kept) and the endpoint changes, as the log reports them.</summary>
    public async Task<(string? TlsProblem, string Endpoints, IReadOnlyList<(string Name, string Reason)> Rejected)> ReloadAsync(SwitchboardSettings next)
    {
        if (Cluster is not null)
        {
            var problem = Cluster.Reload(next);
            return (problem, $"{next.Endpoints.Length} endpoints for the cluster (the reconciler applies them)", []);
        }

        var reload = await Runtime.ReloadAsync(next);
        var replaced = reload.Endpoints;
        return (reload.TlsProblem, $"{replaced.Added} added, {replaced.Removed} removed, {replaced.Unchanged} unchanged",
            [.. replaced.Rejected.Select(r => (r.Name, r.Reason))]);
    }
}
