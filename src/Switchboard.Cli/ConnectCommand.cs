using System.Diagnostics;
using System.Runtime.InteropServices;
using Akka.Actor;
using Microsoft.Extensions.Hosting.Systemd;
using Switchboard.Cli.Daemon;
using Switchboard.Configuration;
using Switchboard.Supervision;
using Switchboard.Testing;

namespace Switchboard.Cli;

/// <summary>
/// <c>connect --config FILE [--status-file F] [--log-format text|json]</c>: the daemon. Status line and file every second, and the
/// operations endpoints (metrics, status, health) when <c>switchboard.metrics</c> asks for them; SIGHUP
/// reloads endpoints and TLS material (a broken file is refused and the old one stays in use);
/// SIGTERM/SIGINT runs CoordinatedShutdown, which closes every link with close_notify.
/// </summary>
internal static class ConnectCommand
{
    public static async Task<int> RunAsync(string configPath, string? statusFile, string logFormat)
    {
        var path = Path.GetFullPath(configPath);
        using var log = DaemonLog.Create(logFormat);
        Akka.Configuration.Config config;
        SwitchboardSettings settings;
        try
        {
            config = SettingsLoader.ParseFile(path);
            settings = SettingsLoader.Load(config.WithFallback(SettingsLoader.LoadReference()));
        }
        catch (SwitchboardConfigException e)
        {
            Console.Error.WriteLine($"switchboard connect: invalid configuration {path}:");
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        // Before the runtime: a counter's increments are seen only by listeners that exist when they happen.
        var daemonStatus = new DaemonStatus();
        OperationsServer? operations;
        try
        {
            operations = await OperationsServer.StartAsync(settings.Metrics ?? MetricsSettings.Off, settings.Tls, daemonStatus, DaemonNode.NodeName(config));
        }
        catch (IOException e)
        {
            log.Error($"switchboard connect: cannot serve switchboard.metrics.prometheus on {settings.Metrics?.Prometheus}: {e.Message}");
            return 1;
        }

        await using var operationsLifetime = operations;
        if (operations?.Address is { } address)
        {
            log.Info($"switchboard: operations on {address} (/metrics, /status, /status/endpoints/NAME, /health/live, /health/ready)");
        }

        var system = log.CreateSystem("switchboard", DaemonNode.SystemConfig(config), DaemonNode.RemotingSetup(config, settings));
        DaemonNode node;
        try
        {
            node = DaemonNode.Start(system, settings);
        }
        catch (InvalidOperationException e)
        {
            log.Error($"switchboard connect: {e.Message}");
            await system.Terminate();
            return 2;
        }

        var runtime = node.Runtime;
        if (node.Cluster is not null)
        {
            log.Info($"switchboard: cluster node {Akka.Cluster.Cluster.Get(system).SelfAddress}; endpoints are spread over the masters (sessions {(settings.Cluster!.ReplicateSessions ? "replicated" : "not replicated")})");
        }

        log.Info($"switchboard: {settings.Endpoints.Length} endpoints from {path}; {settings.Io.Actors} IO actors, {(settings.Admission.Adaptive ? $"an adaptive limit of {settings.Admission.AdaptiveMin}..{settings.Admission.AdaptiveMax} concurrent handshakes, starting at {settings.Admission.MaxConcurrentHandshakes}" : $"at most {settings.Admission.MaxConcurrentHandshakes} concurrent handshakes")}");

        // Under systemd (Type=notify) the unit is "started" when the runtime is, its status line is the
        // unit's status, and each answered status request pets the watchdog: a supervisor that stops
        // answering gets the daemon restarted. Outside systemd the notifier does nothing.
        var systemd = new SystemdNotifier();
        systemd.Notify(ServiceState.Ready);

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reload = 0;
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            Interlocked.Exchange(ref reload, 1);
        });

        var lastLine = string.Empty;
        long lastHandshakes = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (!stop.Task.IsCompleted)
        {
            await Task.WhenAny(timer.WaitForNextTickAsync().AsTask(), stop.Task);
            if (Interlocked.Exchange(ref reload, 0) == 1)
            {
                // CLOCK_MONOTONIC, as systemd compares it with its own reload request.
                systemd.Notify(new ServiceState($"RELOADING=1\nMONOTONIC_USEC={Stopwatch.GetTimestamp() / (Stopwatch.Frequency / 1_000_000)}"));
                await ReloadAsync(node, path, log);
                systemd.Notify(ServiceState.Ready);
            }

            StatusReport status;
            try
            {
                status = await runtime.Supervisor.Ask<StatusReport>(GetStatus.Instance, TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
            {
                log.Error("switchboard: status did not answer within 5 s");
                continue;
            }

            systemd.Notify(new ServiceState("WATCHDOG=1"));
            var handshakes = status.FullHandshakes + status.ResumedHandshakes;
            var rate = handshakes - lastHandshakes;
            lastHandshakes = handshakes;
            var cluster = await node.ClusterStatusAsync();
            var line = StatusFile.Line(status, rate, cluster);
            if (line != lastLine)
            {
                log.Info(line);
                systemd.Notify(new ServiceState("STATUS=" + line));
                lastLine = line;
            }

            var rendered = StatusFile.Render(status, rate, cluster);
            daemonStatus.Update(status, rendered);
            if (statusFile is not null)
            {
                await StatusFile.WriteAsync(statusFile, rendered);
            }
        }

        systemd.Notify(ServiceState.Stopping);
        log.Info("switchboard: shutting down (close_notify to every endpoint)");
        await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }
    }

    private static async Task ReloadAsync(DaemonNode node, string path, DaemonLog log)
    {
        SwitchboardSettings next;
        try
        {
            next = SettingsLoader.Load(SettingsLoader.ParseFile(path).WithFallback(SettingsLoader.LoadReference()));
        }
        catch (SwitchboardConfigException e)
        {
            log.Error($"switchboard: reload of {path} refused, keeping the running configuration:");
            log.Error(e.Message);
            return;
        }

        (string? TlsProblem, string Endpoints, IReadOnlyList<(string Name, string Reason)> Rejected) result;
        try
        {
            result = await node.ReloadAsync(next);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            // A supervisor that does not answer must not end the daemon: the loop keeps reporting status.
            log.Error($"switchboard: reload of {path} got no answer from the supervisor in time; endpoints may be partly replaced: {e.Message}");
            return;
        }

        var (tlsProblem, endpoints, rejected) = result;
        if (tlsProblem is not null)
        {
            log.Error($"switchboard: reload refused new TLS material, keeping the old: {tlsProblem}");
        }

        log.Info($"switchboard: reloaded {path}: {endpoints}" + (tlsProblem is null ? ", TLS material reloaded" : string.Empty));
        foreach (var (name, reason) in rejected)
        {
            log.Error($"switchboard: endpoint '{name}' rejected: {reason}");
        }
    }
}
