namespace Switchboard.Supervision;

/// <summary>The answer to a <see cref="Send"/> that was not delivered: queue full, endpoint unknown or removed.</summary>
public sealed record SendFailed(string Endpoint, ReadOnlyMemory<byte> Payload, string Reason);
