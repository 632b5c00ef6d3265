namespace Switchboard.Configuration;

/// <summary>One line of <c>switchboard.endpoints</c>: the name is the SNI and the expected peer identity.</summary>
public sealed record EndpointSettings(string Name, string Host, int Port);
