namespace Switchboard.Configuration;

/// <summary><c>switchboard.listener</c>: optional inbound side. <see cref="Host"/> null means no listener.</summary>
/// <param name="MaxPendingHandshakes">Accepted connections not yet authenticated (waiting for admission or handshaking).</param>
/// <param name="MaxPendingPerAddress">The same, per source address.</param>
public sealed record ListenerSettings(string? Host, int Port, int MaxPendingHandshakes, int Backlog, int MaxPendingPerAddress = 32);
