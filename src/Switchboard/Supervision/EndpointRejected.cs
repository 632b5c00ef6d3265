namespace Switchboard.Supervision;

/// <summary>An endpoint that was not added, and why (duplicate name, malformed host or port).</summary>
public sealed record EndpointRejected(string Name, string Reason);
