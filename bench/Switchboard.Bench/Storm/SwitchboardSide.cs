using Akka.Actor;
using Akka.Configuration;
using Switchboard.Configuration;
using Switchboard.Supervision;
using Switchboard.Testing.Pki;

namespace Switchboard.Bench.Storm;

/// <summary>
/// Switchboard as an application embeds it: an ActorSystem, <see cref="SwitchboardRuntime"/> with the
/// fleet's endpoints, sessions persisted to a file so a restarted manager (in this process or the next)
/// resumes. The session cache keeps reference.conf's default (<c>max-bytes = auto</c>), as a new user's would.
/// Status is the supervisor's <see cref="GetStatus"/>. The faults benchmark embeds it too and
/// talks to <see cref="Supervisor"/> directly.
/// </summary>
internal sealed class SwitchboardSide(PkiLayout pki, IReadOnlyList<EndpointSettings> endpoints, string persistPath, string tls = "1.3", string executor = SwitchboardSide.ForkJoin, string? extraConfig = null) : IStormSide
{
    /// <summary>reference.conf's executors for Switchboard's dispatchers: dedicated threads (the IO ones event loops).</summary>
    public const string ForkJoin = "fork-join";

    /// <summary>
    /// The alternative for an A/B: Akka's channel-executor, which runs on the .NET thread pool; the supervisor
    /// at high priority so the control path stays ahead of IO work.
    /// </summary>
    public const string Channel = "channel";

    private static string ExecutorConfig(string executor) => executor switch
    {
        ForkJoin => string.Empty,
        Channel => """
            switchboard.io.dispatcher.executor = channel-executor
            switchboard.supervision.endpoint-dispatcher.executor = channel-executor
            switchboard.supervision.supervisor-dispatcher.executor = channel-executor
            switchboard.supervision.supervisor-dispatcher.channel-executor.priority = high
            """,
        _ => throw new ArgumentException($"unknown executor '{executor}' (expected {ForkJoin} or {Channel})", nameof(executor)),
    };

    private readonly SwitchboardMeterReadings _meter = new();
    private ActorSystem? _system;
    private SwitchboardRuntime? _runtime;
    private SwitchboardSettings? _settings;
    private int _instance;

    public string Name => StormSides.Switchboard;

    public bool Running => _runtime is not null;

    public TimeSpan DeferredWork => Settings.Resumption.PersistPath is null ? TimeSpan.Zero : Settings.Resumption.PersistInterval + TimeSpan.FromSeconds(1);

    public ActorSystem System => _system ?? throw new InvalidOperationException("no manager running");

    public IActorRef Supervisor => _runtime?.Supervisor ?? throw new InvalidOperationException("no manager running");

    /// <summary>The settings the running manager was started with (timeouts, backoff).</summary>
    public SwitchboardSettings Settings => _settings ?? throw new InvalidOperationException("no manager started yet");

    public IReadOnlyDictionary<string, long> FailuresByCause() => _meter.Failures();

    public IReadOnlyDictionary<string, long> DropsByCause() => _meter.Drops();

    public long? ResumedWithoutKeyExchange => _meter.ResumedWithoutKeyExchange;

    public Task StartAsync()
    {
        var config = ConfigurationFactory.ParseString($$"""
            switchboard.tls.max-version = "{{tls}}"
            switchboard.resumption.persist-path = "{{persistPath}}"
            akka.loglevel = ERROR
            {{ExecutorConfig(executor)}}
            {{extraConfig ?? string.Empty}}
            """).WithFallback(pki.MasterTlsConfig()).WithFallback(SettingsLoader.DaemonAkkaDefaults()).WithFallback(SettingsLoader.LoadReference());
        var settings = SettingsLoader.Load(config) with { Endpoints = [.. endpoints] };
        _settings = settings;
        _system = ActorSystem.Create($"storm-manager-{++_instance}", config);
        _runtime = SwitchboardRuntime.Start(_system, settings);
        return Task.CompletedTask;
    }

    public async Task<SideSnapshot> StatusAsync(CancellationToken cancellation)
    {
        var runtime = _runtime ?? throw new InvalidOperationException("no manager running");
        var report = await runtime.Supervisor.Ask<StatusReport>(GetStatus.Instance, cancellation);
        return new SideSnapshot(report.Connected, report.FullHandshakes + report.ResumedHandshakes, report.FullHandshakes, report.ResumedHandshakes);
    }

    public async Task StopAsync()
    {
        if (_system is { } system)
        {
            _runtime = null;
            _system = null;
            // What SIGTERM does to `switchboard connect`: close every link with close_notify, persist the sessions.
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _meter.Dispose();
    }
}
