namespace Switchboard.Supervision;

/// <summary>A frame an endpoint sent us, told to every subscriber.</summary>
public sealed record Received(string Endpoint, byte[] Payload);
