namespace Switchboard.Supervision;

/// <summary>Published to state subscribers on every lifecycle transition.</summary>
public sealed record EndpointStateChanged(string Endpoint, EndpointState State, string? LastError);
