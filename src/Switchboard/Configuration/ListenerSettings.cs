namespace Switchboard.Configuration;

/// <summary><c>switchboard.listener</c>: optional inbound side. <see cref="Host"/> null means no listener.</summary>
public sealed record ListenerSettings(string? Host, int Port, int MaxPendingHandshakes, int Backlog);
