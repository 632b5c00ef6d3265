namespace Switchboard.Supervision;

/// <summary>One endpoint as the status shows it.</summary>
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
    string? Protocol);
