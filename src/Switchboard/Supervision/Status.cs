using System.Collections.Immutable;

namespace Switchboard.Supervision;

/// <summary>An endpoint's lifecycle: queued for admission → connecting → handshaking → connected → backoff → …</summary>
public enum EndpointState
{
    Queued,
    Connecting,
    Handshaking,
    Connected,
    Backoff,
}

/// <summary>One endpoint as the status shows it.</summary>
/// <param name="PeerCertificateNotAfter">When the agent's certificate expires, as its last handshake (or the session
/// it resumed) saw it; null before the first link.</param>
/// <param name="PeerCertificateSerial">That certificate's serial (hex), as a CRL would name it.</param>
public sealed record EndpointStatus(
    string Name,
    string Host,
    int Port,
    EndpointState State,
    int Attempts,
    string? LastError,
    DateTimeOffset? NextRetryAt,
    long FullHandshakes,
    long ResumedHandshakes,
    long FailedHandshakes,
    DateTimeOffset? ConnectedSince,
    string? Protocol,
    DateTimeOffset? PeerCertificateNotAfter = null,
    string? PeerCertificateSerial = null);

/// <summary>Counts per state and the status of every endpoint.</summary>
public sealed record StatusReport(
    ImmutableDictionary<EndpointState, int> Counts,
    ImmutableArray<EndpointStatus> Endpoints,
    long FullHandshakes,
    long ResumedHandshakes,
    long FailedHandshakes,
    int AdmissionQueued,
    int AdmissionActive,
    int InboundLinks = 0,
    ResumptionStatus? Resumption = null)
{
    public int Count(EndpointState state) => Counts.GetValueOrDefault(state);

    public int Connected => Count(EndpointState.Connected);
}

/// <summary>The client session cache: what it holds against its budget, and who has nothing to resume with.</summary>
/// <param name="EndpointsWithoutSession">Endpoints whose next attempt would be a full handshake (recounted within 5 s of a change).</param>
public sealed record ResumptionStatus(long Sessions, long Bytes, long BudgetBytes, int EndpointsWithoutSession);

/// <summary>
/// Where one endpoint publishes its status. The endpoint actor is its only writer and replaces the whole
/// immutable record at each transition; the supervisor reads every cell when asked for status. A storm's
/// thousands of transitions thus cost the supervisor no messages, and a GetStatus never queues behind them.
/// </summary>
internal sealed class StatusCell(EndpointStatus initial)
{
    private EndpointStatus _status = initial;

    public EndpointStatus Status
    {
        get => Volatile.Read(ref _status);
        set => Volatile.Write(ref _status, value);
    }
}
