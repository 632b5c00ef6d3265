namespace Switchboard.Supervision;

public sealed record EndpointAdded(string Name);
