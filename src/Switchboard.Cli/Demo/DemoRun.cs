using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Spectre.Console;
using Switchboard.Configuration;
using Switchboard.Supervision;
using Switchboard.Testing.Fleet;
using Switchboard.Testing.Pki;

namespace Switchboard.Cli.Demo;

/// <summary>
/// The demo's three phases against one in-process fleet: <c>cold</c> (first connect of every endpoint),
/// <c>restart</c> (a new manager on the persisted sessions), <c>agentdrop</c> (every agent drops its link).
/// </summary>
internal sealed class DemoRun(PkiLayout pki, AgentFleet fleet, string persistPath, TimeSpan phaseLimit)
{
    private readonly IReadOnlyList<EndpointSettings> _endpoints = fleet.Endpoints();

    public async Task<IReadOnlyList<PhaseResult>> RunAsync(IAnsiConsole console)
    {
        var results = new List<PhaseResult>();
        using var failures = new FailureCounter();

        var (system, runtime) = StartManager("manager-1");
        results.Add(await MeasureAsync(console, "cold", runtime, failures, baseline: null, trigger: null));

        // TLS 1.3 tickets arrive after the handshake; a daemon runs a while before it restarts, so let the
        // last endpoints' tickets land rather than restart in the same instant the storm ended.
        await Task.Delay(TimeSpan.FromSeconds(1));

        // Restart: a clean shutdown closes every link with close_notify and persists the sessions.
        await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
        (system, runtime) = StartManager("manager-2");
        results.Add(await MeasureAsync(console, "restart", runtime, failures, baseline: null, trigger: null));

        var before = await runtime.Supervisor.Ask<StatusReport>(GetStatus.Instance, TimeSpan.FromSeconds(10));
        results.Add(await MeasureAsync(console, "agentdrop", runtime, failures, before, fleet.DropAllLinks));

        await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
        return results;
    }

    private (ActorSystem, SwitchboardRuntime) StartManager(string name)
    {
        var config = ConfigurationFactory.ParseString($$"""
            switchboard.resumption.persist-path = "{{persistPath}}"
            akka.loglevel = ERROR
            """).WithFallback(pki.MasterTlsConfig()).WithFallback(SettingsLoader.DaemonAkkaDefaults()).WithFallback(SettingsLoader.LoadReference());
        var settings = SettingsLoader.Load(config) with { Endpoints = [.. _endpoints] };
        var system = ActorSystem.Create(name, config);
        return (system, SwitchboardRuntime.Start(system, settings));
    }

    /// <summary>Runs until every endpoint is connected (and, after a trigger, has handshaken again).</summary>
    private async Task<PhaseResult> MeasureAsync(IAnsiConsole console, string phase, SwitchboardRuntime runtime, FailureCounter failures, StatusReport? baseline, Action? trigger)
    {
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var failures0 = failures.Failures;
        var timeouts0 = failures.Timeouts;
        var stopwatch = Stopwatch.StartNew();
        trigger?.Invoke();
        var needed = (baseline?.FullHandshakes ?? 0) + (baseline?.ResumedHandshakes ?? 0) + _endpoints.Count;
        StatusReport status = baseline ?? await Status(runtime);

        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"{phase,-9}", maxValue: _endpoints.Count);
                var lastHandshakes = 0L;
                var lastTick = stopwatch.Elapsed;
                while (stopwatch.Elapsed < phaseLimit)
                {
                    status = await Status(runtime);
                    var handshakes = status.FullHandshakes + status.ResumedHandshakes;
                    var done = baseline is null ? status.Connected : (int)Math.Min(_endpoints.Count, handshakes - (needed - _endpoints.Count));
                    var rate = (handshakes - lastHandshakes) / Math.Max(0.001, (stopwatch.Elapsed - lastTick).TotalSeconds);
                    lastHandshakes = handshakes;
                    lastTick = stopwatch.Elapsed;
                    task.Value = done;
                    task.Description = $"{phase,-9} {status.Connected,5}/{_endpoints.Count} connected  {rate,6:F0} handshakes/s";
                    if (status.Connected == _endpoints.Count && handshakes >= needed)
                    {
                        break;
                    }

                    await Task.Delay(100);
                }

                task.StopTask();
            });

        var elapsed = stopwatch.Elapsed;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        return new PhaseResult(phase, _endpoints.Count, status.Connected, elapsed,
            status.FullHandshakes - (baseline?.FullHandshakes ?? 0),
            status.ResumedHandshakes - (baseline?.ResumedHandshakes ?? 0),
            failures.Timeouts - timeouts0, failures.Failures - failures0, cpu);
    }

    private static Task<StatusReport> Status(SwitchboardRuntime runtime) =>
        runtime.Supervisor.Ask<StatusReport>(GetStatus.Instance, TimeSpan.FromSeconds(10));
}
