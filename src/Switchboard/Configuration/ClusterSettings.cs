namespace Switchboard.Configuration;

/// <summary><c>switchboard.cluster</c>: how Switchboard.Cluster spreads endpoints over the masters (ignored on a single node).</summary>
/// <param name="MaxShards">Shards the endpoints are hashed into; fixed for a cluster's lifetime.</param>
/// <param name="ReconcileInterval">How often the singleton starts configured endpoints' entities and retires removed ones.</param>
public sealed record ClusterSettings(int MaxShards, TimeSpan ReconcileInterval)
{
    public static readonly ClusterSettings Default = new(300, TimeSpan.FromSeconds(10));
}
