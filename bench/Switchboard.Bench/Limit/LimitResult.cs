namespace Switchboard.Bench.Limit;

/// <summary>One s_time run: connections per wall-clock second, and per second of the client's CPU.</summary>
internal sealed record LimitResult(string Protocol, string Mode, int Connections, double RealSeconds, double ConnectionsPerSecond, double ConnectionsPerClientCpuSecond);
