namespace Switchboard.Bench.Limit;

/// <summary>One s_time run: connections per wall-clock second, and what each cost the client in CPU.</summary>
/// <param name="ConnectionsPerClientCpuSecond">As s_time reports it: per second of the client's user time only.</param>
/// <param name="ClientCpuSeconds">The s_time process's user + system time (its rusage, as the shell's <c>times</c> reports it).</param>
/// <param name="ClientCpuMsPerConnection"><paramref name="ClientCpuSeconds"/> per connection: OpenSSL's own floor for what one connection costs a client.</param>
internal sealed record LimitResult(string Protocol, string Mode, int Connections, double RealSeconds, double ConnectionsPerSecond, double ConnectionsPerClientCpuSecond,
    double ClientCpuSeconds = 0, double ClientCpuMsPerConnection = 0);

/// <summary>OpenSSL's floor, measured in the same run as a storm, on its certificates: what its own client pays per connection.</summary>
/// <param name="New">Full handshakes (s_time -new): the sample with the median cost per connection.</param>
/// <param name="Reuse">Resumed connections (s_time -reuse): the sample with the median cost per connection.</param>
/// <param name="NewSamplesMs">Every sample's client CPU per new connection, in the order taken.</param>
/// <param name="ReuseSamplesMs">Every sample's client CPU per resumed connection, in the order taken.</param>
/// <param name="SamplesBeforePhases">How many of each were taken before the phases; the rest after them. The
/// machine's speed drifts over a storm's minutes, so a floor taken on both sides of it brackets the phases.</param>
internal sealed record TlsFloor(string Key, string Protocol, string OpenSsl, double Seconds, LimitResult New, LimitResult Reuse,
    IReadOnlyList<double> NewSamplesMs, IReadOnlyList<double> ReuseSamplesMs, int SamplesBeforePhases)
{
    /// <summary>Every sample itself, for a later call to add to; not written to the JSON (the lists above are).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<LimitResult> NewResults { get; init; } = [];

    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<LimitResult> ReuseResults { get; init; } = [];
}
