using System.Text.Json.Serialization;

namespace Switchboard.Bench.Limit;

/// <summary>One s_time run: connections per wall-clock second, and what each cost the client in CPU.</summary>
/// <param name="ConnectionsPerClientCpuSecond">As s_time reports it: per second of the client's user time only.</param>
/// <param name="ClientCpuSeconds">The s_time process's user + system time (its rusage, as the shell's <c>times</c> reports it).</param>
/// <param name="ClientCpuMsPerConnection"><paramref name="ClientCpuSeconds"/> per connection: OpenSSL's own floor for what one connection costs a client.</param>
internal sealed record LimitResult(string Protocol, string Mode, int Connections, double RealSeconds, double ConnectionsPerSecond, double ConnectionsPerClientCpuSecond,
    double ClientCpuSeconds = 0, double ClientCpuMsPerConnection = 0);

/// <summary>OpenSSL's floor, measured in the same run as a storm, on its certificates: what its own client pays per connection.</summary>
/// <param name="NewResults">Every full-handshake sample (s_time -new), in the order taken.</param>
/// <param name="ReuseResults">Every resumed-connection sample (s_time -reuse), in the order taken.</param>
/// <param name="SamplesBeforePhases">How many of each were taken before the phases; the rest after them. The
/// machine's speed drifts over a storm's minutes, so a floor taken on both sides of it brackets the phases.</param>
internal sealed record TlsFloor(string Key, string Protocol, string OpenSsl, double Seconds,
    [property: JsonIgnore] IReadOnlyList<LimitResult> NewResults, [property: JsonIgnore] IReadOnlyList<LimitResult> ReuseResults,
    int SamplesBeforePhases)
{
    /// <summary>Full handshakes: the sample with the median cost per connection.</summary>
    public LimitResult New => Median(NewResults);

    /// <summary>Resumed connections: the sample with the median cost per connection.</summary>
    public LimitResult Reuse => Median(ReuseResults);

    public IReadOnlyList<double> NewSamplesMs => [.. NewResults.Select(r => r.ClientCpuMsPerConnection)];

    public IReadOnlyList<double> ReuseSamplesMs => [.. ReuseResults.Select(r => r.ClientCpuMsPerConnection)];

    // With an even count, the lower middle: the smaller floor, so a ratio to it is never flattered.
    private static LimitResult Median(IReadOnlyList<LimitResult> all) =>
        all.OrderBy(r => r.ClientCpuMsPerConnection).ElementAt((all.Count - 1) / 2);
}
