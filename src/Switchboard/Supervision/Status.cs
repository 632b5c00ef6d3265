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

/// <summary>
/// Counts per state and the status of every endpoint. The counts and handshake totals are kept as endpoints
/// change and read whole; during a storm they may differ from the records of the same report by the
/// transitions between the two readings.
/// </summary>
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
