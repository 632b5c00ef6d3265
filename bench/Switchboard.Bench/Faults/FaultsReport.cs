using Switchboard.Bench.Report;

namespace Switchboard.Bench.Faults;

/// <summary>The faults benchmark's JSON: how it ran, the manager's deadlines, one row per mode.</summary>
internal sealed record FaultsReport(
    string Benchmark,
    string Command,
    DateTimeOffset Started,
    MachineInfo Machine,
    int Endpoints,
    double FaultShare,
    double WindowSeconds,
    string FleetCommand,
    IReadOnlyDictionary<string, double> ManagerSeconds,
    IReadOnlyList<FaultRow> Rows,
    IReadOnlyList<string> Notes)
{
    public bool Passed => Rows.Count > 0 && Rows.All(r => r.Passed);
}
