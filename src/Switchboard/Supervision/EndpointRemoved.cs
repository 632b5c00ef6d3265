namespace Switchboard.Supervision;

public sealed record EndpointRemoved(string Name);
