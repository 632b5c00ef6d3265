using System.Text.Json;
using Switchboard.Bench.Storm;

namespace Switchboard.Bench.Report;

/// <summary>
/// A storm run at a smaller N (<c>--memory-reference storm.json</c>), so memory per endpoint can be judged
/// as what one more endpoint costs: the process's fixed part (runtime, actor system, JIT'd code, GC
/// headroom — about 45 MiB here) divided by N would otherwise dominate at small N and still weigh
/// ~9 KiB per endpoint at 5,000.
/// </summary>
internal sealed record MemoryReference(string Path, int Endpoints, string Key, IReadOnlyDictionary<string, double> ColdKiBPerEndpoint)
{
    public static MemoryReference Load(string path)
    {
        var source = JsonSerializer.Deserialize<Source>(File.ReadAllText(path), StormJson.Options)
                     ?? throw new InvalidDataException($"{path}: empty");
        var cold = new Dictionary<string, double>();
        foreach (var (side, phases) in source.Results)
        {
            if (phases.TryGetValue(StormPhases.Cold, out var phase) && phase.Runs > 0 && phase.CompletedRuns == phase.Runs &&
                phase.Metrics.GetValueOrDefault(Metrics.KiBPerEndpoint) is { } kib)
            {
                cold[side] = kib.Median;
            }
        }

        return new MemoryReference(path, source.Endpoints, source.Key, cold);
    }

    /// <summary>KiB one more connected endpoint costs between the reference's N and <paramref name="endpoints"/>, from the medians.</summary>
    public double? MarginalKiB(string side, int endpoints, double? kibPerEndpoint) =>
        kibPerEndpoint is { } here && ColdKiBPerEndpoint.TryGetValue(side, out var there) && endpoints != Endpoints
            ? (here * endpoints - there * Endpoints) / (endpoints - Endpoints)
            : null;

    private sealed record Source(int Endpoints, string Key, IReadOnlyDictionary<string, IReadOnlyDictionary<string, SourcePhase>> Results);

    private sealed record SourcePhase(int Runs, int CompletedRuns, IReadOnlyDictionary<string, Spread?> Metrics);
}
