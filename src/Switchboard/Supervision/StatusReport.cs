using System.Collections.Immutable;

namespace Switchboard.Supervision;

/// <summary>Counts per state and the status of every endpoint.</summary>
public sealed record StatusReport(
    ImmutableDictionary<EndpointState, int> Counts,
    ImmutableArray<EndpointStatus> Endpoints,
    long FullHandshakes,
    long ResumedHandshakes,
    long FailedHandshakes,
    int AdmissionQueued,
    int AdmissionActive,
    int InboundLinks = 0)
{
    public int Count(EndpointState state) => Counts.GetValueOrDefault(state);

    public int Connected => Count(EndpointState.Connected);
}
