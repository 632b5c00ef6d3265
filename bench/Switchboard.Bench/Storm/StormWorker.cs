using System.Text.Json;
using Switchboard.Bench.Baseline;
using Switchboard.Bench.Report;
using Switchboard.Bench.Shared;
using Switchboard.Testing.Fleet;
using Switchboard.Testing.Pki;

namespace Switchboard.Bench.Storm;

/// <summary>
/// A worker process: the manager under test and nothing else, so its CPU, threads and memory are the
/// manager's alone. Runs the plan's phases in order and writes a <see cref="WorkerResult"/>.
/// </summary>
internal static class StormWorker
{
    public static async Task<int> RunAsync(string planPath)
    {
        var plan = JsonSerializer.Deserialize<WorkerPlan>(await File.ReadAllTextAsync(planPath), StormJson.Options)
                   ?? throw new InvalidDataException($"{planPath}: empty plan");
        _ = FileLimit.RaiseFor(plan.Endpoints, out _); // inherited already; this only makes sure
        var log = Console.Error;
        using var allocations = plan.Allocations ? new AllocationSampler() : null;
        PhaseMeter.Allocations = allocations;
        var pki = new PkiLayout(plan.PkiDirectory);
        var endpoints = AgentFleet.Endpoints(plan.Endpoints, plan.Port).ToArray();
        await using IStormSide side = plan.Side switch
        {
            StormSides.Switchboard => new SwitchboardSide(pki, endpoints, plan.PersistPath, plan.Tls, plan.Executor, plan.ManagerConfig),
            StormSides.Baseline => new BaselineSide(pki, endpoints, NaiveOptions.Default with { Tls12Only = plan.Tls == "1.2" }),
            _ => throw new ArgumentException($"unknown side '{plan.Side}'"),
        };

        var results = new List<PhaseMeasurement>();
        string? error = null;
        try
        {
            var rssBefore = await ProcessProbe.SettledRssBytesAsync(TimeSpan.FromMilliseconds(200));
            var meter = new PhaseMeter(side, plan.Endpoints, rssBefore, TimeSpan.FromSeconds(plan.PhaseLimitSeconds), log, plan.FleetPids, plan.MachineStallsPath);
            foreach (var phase in plan.Phases)
            {
                var result = phase == StormPhases.Idle
                    ? await IdleMeter.MeasureAsync(side, plan.Endpoints, rssBefore, TimeSpan.FromSeconds(plan.IdleSeconds), log)
                    : await RunPhaseAsync(phase, side, meter, plan, log);
                results.Add(result);
                if (!result.Completed && phase is not (StormPhases.AgentDrop or StormPhases.Idle))
                {
                    error = $"{phase} did not complete; later phases of this worker skipped";
                    break;
                }
            }

            if (side.Running)
            {
                await side.StopAsync(); // Switchboard persists its sessions here, for a restart in the next worker
            }
        }
        catch (Exception e)
        {
            error = $"{e.GetType().Name}: {e.Message}";
            log.WriteLine($"storm worker ({plan.Side}): {e}");
        }

        await File.WriteAllTextAsync(plan.ResultPath, JsonSerializer.Serialize(new WorkerResult(results, error), StormJson.Options));
        return error is null ? 0 : 1;
    }

    private static async Task<PhaseMeasurement> RunPhaseAsync(string phase, IStormSide side, PhaseMeter meter, WorkerPlan plan, TextWriter log)
    {
        var all = plan.Endpoints;
        if (phase is StormPhases.Cold or StormPhases.Restart)
        {
            if (side.Running)
            {
                await side.StopAsync(); // the in-process restart: stop the manager, then measure a new one
                await ProcessProbe.SettledRssBytesAsync(TimeSpan.FromMilliseconds(500));
            }

            var sessionFile = side.Name == StormSides.Switchboard && File.Exists(plan.PersistPath) ? new FileInfo(plan.PersistPath).Length : (long?)null;
            double? startCpu = null;
            double? startJit = null;
            var measured = await meter.MeasureAsync(phase, async () =>
            {
                var cpu0 = ProcessProbe.CpuSeconds();
                var jit0 = ProcessProbe.JitSeconds();
                await side.StartAsync();
                startCpu = ProcessProbe.CpuSeconds() - cpu0;
                startJit = ProcessProbe.JitSeconds() - jit0;
                return null;
            }, SideSnapshot.Zero, s => s.Connected == all);
            return measured with { SessionFileBytes = sessionFile, StartCpuSeconds = startCpu, StartJitSeconds = startJit };
        }

        if (!side.Running)
        {
            // agentdrop without a connected manager in this process: connect first, unmeasured.
            log.WriteLine($"  [{side.Name} {phase}] connecting every endpoint first (not measured)");
            _ = await meter.MeasureAsync("warmup", async () =>
            {
                await side.StartAsync();
                return null;
            }, SideSnapshot.Zero, s => s.Connected == all);
        }

        var before = await side.StatusAsync(CancellationToken.None);
        return await meter.MeasureAsync(phase, () => Task.FromResult(FleetSignal.DropAllLinks(plan.FleetPids)), before,
            s => s.Connected == all && s.Handshakes - before.Handshakes >= all);
    }
}
