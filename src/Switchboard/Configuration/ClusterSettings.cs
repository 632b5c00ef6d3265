namespace Switchboard.Configuration;

/// <summary><c>switchboard.cluster</c>: how Switchboard.Cluster spreads endpoints over the masters (ignored on a single node).</summary>
/// <param name="MaxShards">Shards the endpoints are hashed into; fixed for a cluster's lifetime.</param>
/// <param name="ReconcileInterval">How often the singleton starts configured endpoints' entities and retires removed ones.</param>
/// <param name="ReplicateSessions">Each endpoint's newest session is replicated, so it resumes on the master it moves to.</param>
/// <param name="ReplicationFlushInterval">How long new sessions are gathered before they are written to a majority.</param>
/// <param name="ReplicationTimeout">How long a majority write or read may take before it counts as failed.</param>
public sealed record ClusterSettings(int MaxShards, TimeSpan ReconcileInterval, bool ReplicateSessions = false, TimeSpan? ReplicationFlushInterval = null, TimeSpan? ReplicationTimeout = null)
{
    public static readonly ClusterSettings Default = new(300, TimeSpan.FromSeconds(10));

    public TimeSpan FlushInterval => ReplicationFlushInterval ?? TimeSpan.FromSeconds(1);

    public TimeSpan Timeout => ReplicationTimeout ?? TimeSpan.FromSeconds(3);
}
