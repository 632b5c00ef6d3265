using System.Diagnostics;
using System.Globalization;

namespace Switchboard.Bench.Storm;

/// <summary>
/// <c>switchboard agents</c> in its own process, so the manager's CPU and memory are measured without the
/// fleet's. Ready when it prints <c>ready N</c>; stopped with SIGTERM, killed 10 s later if still alive.
/// </summary>
internal sealed class FleetProcess : IAsyncDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);
    private readonly Process _process;
    private readonly TaskCompletionSource<int> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _lastErrors = new();
    private readonly TextWriter _log;

    private FleetProcess(Process process, TextWriter log)
    {
        _process = process;
        _log = log;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string CommandLine { get; private init; } = string.Empty;

    public static async Task<FleetProcess> StartAsync(ChildCommand cli, string pkiDirectory, int count, int port, TimeSpan readyTimeout, TextWriter log)
    {
        string[] arguments = ["agents", "--certs", pkiDirectory, "--count", count.ToString(CultureInfo.InvariantCulture), "--port", port.ToString(CultureInfo.InvariantCulture)];
        var info = cli.StartInfo(arguments);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.RedirectStandardInput = true; // never let the fleet read the benchmark's terminal
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var fleet = new FleetProcess(process, log) { CommandLine = cli.Describe(arguments) };
        process.OutputDataReceived += (_, e) => fleet.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => fleet.OnError(e.Data);
        process.Exited += (_, _) => fleet._ready.TrySetException(new InvalidOperationException(
            $"the fleet exited with code {SafeExitCode(process)} before it was ready: {string.Join(" | ", fleet.LastErrors())}"));
        log.WriteLine($"storm: starting the fleet: {fleet.CommandLine}");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var stopwatch = Stopwatch.StartNew();
        try
        {
            var ready = await fleet._ready.Task.WaitAsync(readyTimeout);
            if (ready != count)
            {
                throw new InvalidOperationException($"the fleet reported 'ready {ready}', expected {count}");
            }
        }
        catch (TimeoutException)
        {
            await fleet.DisposeAsync();
            throw new TimeoutException($"the fleet did not print 'ready {count}' within {readyTimeout.TotalSeconds:F0} s: {string.Join(" | ", fleet.LastErrors())}");
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }

        log.WriteLine($"storm: fleet of {count} agents ready in {stopwatch.Elapsed.TotalSeconds:F1} s (pid {process.Id}, port {port})");
        return fleet;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _ = Libc.Kill(_process.Id, Libc.Sigterm);
                using var grace = new CancellationTokenSource(StopGrace);
                try
                {
                    await _process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    _log.WriteLine($"storm: the fleet did not stop within {StopGrace.TotalSeconds:F0} s of SIGTERM; killing it");
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }
        }
        catch (InvalidOperationException)
        {
            // never started
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.StartsWith("ready ", StringComparison.Ordinal) && int.TryParse(line.AsSpan(6), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ready))
        {
            _ready.TrySetResult(ready);
            return;
        }

        _log.WriteLine($"[fleet] {line}");
    }

    private void OnError(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastErrors)
        {
            _lastErrors.Enqueue(line);
            while (_lastErrors.Count > 5)
            {
                _lastErrors.Dequeue();
            }
        }

        _log.WriteLine($"[fleet] {line}");
    }

    private string[] LastErrors()
    {
        lock (_lastErrors)
        {
            return [.. _lastErrors];
        }
    }

    private static string SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode.ToString(CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }
}
