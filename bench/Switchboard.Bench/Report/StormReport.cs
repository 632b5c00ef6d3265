namespace Switchboard.Bench.Report;

/// <summary>
/// The JSON a storm run writes: the setup, each side's phases (medians, spread, every run), the
/// ratios baseline ÷ Switchboard, and the issues' targets checked against the figures.
/// </summary>
internal sealed record StormReport(
    string Benchmark,
    string Command,
    DateTimeOffset StartedAt,
    MachineInfo Machine,
    int Endpoints,
    string Key,
    int Runs,
    string RestartMode,
    IReadOnlyList<string> Phases,
    string FleetCommand,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, PhaseSummary>> Results,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double?>> RatiosBaselineOverSwitchboard,
    IReadOnlyList<TargetCheck> Targets,
    IReadOnlyList<string> CsvFiles,
    string? Plot,
    IReadOnlyList<string> Notes,
    Limit.TlsFloor? Floor = null,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, FloorRatio>>? VersusFloor = null);
