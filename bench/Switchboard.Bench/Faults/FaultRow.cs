namespace Switchboard.Bench.Faults;

/// <summary>One fault mode's measurement: one row of the table, one element of the JSON's <c>rows</c>.</summary>
/// <param name="HealthyConnected">Healthy endpoints connected at the end of the run.</param>
/// <param name="FaultyWithCause">Faulty endpoints that backed off, every time with the mode's named cause.</param>
/// <param name="Stuck">Endpoints that sat in one state and attempt longer than the timeouts allow, or in backoff with no retry.</param>
/// <param name="HealthyLinksLost">Healthy endpoints that left Connected during the measurement window (sending and draining).</param>
/// <param name="HealthyHandshakeTimeouts">Backoffs of healthy endpoints with cause handshake_timeout, over the whole run.</param>
/// <param name="Delivered">Distinct numbered messages the agents received (their ledgers, each message counted once).</param>
/// <param name="Lost">Messages that neither reached an agent nor were answered with SendFailed, counted by number.</param>
/// <param name="Duplicates">Copies of messages an agent had already received.</param>
/// <param name="FailedYetDelivered">Messages answered with SendFailed that an agent received all the same.</param>
internal sealed record FaultRow(
    string Mode,
    int Endpoints,
    int Healthy,
    int HealthyConnected,
    int Faulty,
    int FaultyWithCause,
    IReadOnlyList<string> ExpectedCauses,
    int Stuck,
    int HealthyLinksLost,
    int HealthyHandshakeTimeouts,
    int Recipients,
    long Sent,
    long Delivered,
    long SendFailed,
    long Lost,
    long Duplicates,
    long FailedYetDelivered,
    bool Settled,
    double SettleSeconds,
    double RunSeconds,
    int PeakThreads,
    double PeakRssMib,
    IReadOnlyDictionary<string, long> FailuresByCause,
    IReadOnlyDictionary<string, long> DropsByCause,
    IReadOnlyDictionary<string, long> SendFailedByReason,
    IReadOnlyList<string> Examples,
    IReadOnlyList<string> Missed,
    string? Error)
{
    public bool Passed => Missed.Count == 0 && Error is null;
}
