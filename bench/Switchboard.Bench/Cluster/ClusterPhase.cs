namespace Switchboard.Bench.Cluster;

/// <summary>
/// One phase of the <c>cluster</c> benchmark for one replication setting. Times are seconds from the phase's
/// trigger (the last master up for cold, the kill -9, the restarted master's start); a step that did not
/// happen is null. GetStatus is each master's own, asked open-loop every 50 ms; the p99 is over every master
/// that ran through the phase.
/// </summary>
internal sealed record ClusterPhase(
    string Replication,
    string Phase,
    int Endpoints,
    int Connected,
    double? Seconds,
    double? UnreachableSeconds,
    double? DownedSeconds,
    double? RehomedSeconds,
    int Moved,
    int ResumedAfterMove,
    long FullHandshakes,
    long ResumedHandshakes,
    IReadOnlyList<double> NodeCpuSeconds,
    double FleetCpuSeconds,
    IReadOnlyList<double> NodeRssMiB,
    long ReplicaWrites,
    long ReplicaWriteTimeouts,
    long ReplicaBytes,
    long ReplicaReads,
    long? RemotingBytes,
    int GetStatusQueries,
    double GetStatusP99Ms);
