using Switchboard.Testing.Pki;
namespace Switchboard.Bench.Storm;

/// <summary>
/// What one worker process does: one side, a list of phases, one manager lifetime (or two, when the
/// restart happens in-process). Written as JSON by the orchestrator, read by <c>storm --worker PLAN</c>.
/// </summary>
internal sealed record WorkerPlan(
    string Side,
    string PkiDirectory,
    int Endpoints,
    int Port,
    IReadOnlyList<int> FleetPids,
    string PersistPath,
    IReadOnlyList<string> Phases,
    double PhaseLimitSeconds,
    string ResultPath,
    string Tls = "1.3",
    KeyAlgorithm Key = KeyAlgorithm.EcdsaP256,
    double IdleSeconds = 30,
    string Executor = SwitchboardSide.ForkJoin,
    IReadOnlyDictionary<string, string>? ManagerEnvironment = null,
    string? ManagerConfig = null,
    bool Allocations = false,
    string? MachineStallsPath = null);
