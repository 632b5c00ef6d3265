namespace Switchboard.Supervision;

/// <summary>
/// Sends one frame to an endpoint. Delivered in order on the live link; held in a bounded queue while the
/// endpoint is down. If it cannot be delivered the sender gets <see cref="SendFailed"/> — never silence.
/// </summary>
public sealed record Send(string Endpoint, ReadOnlyMemory<byte> Payload);
